#!/bin/sh
# Creates the FTP account from the mounted Secret (never from the image or the manifests) and starts vsftpd in the
# foreground. The password is read from a file and handed to chpasswd on stdin: it is never on a command line or in a log.
set -eu
CREDENTIALS=${FTP_CREDENTIALS_DIR:-/etc/ftp-credentials}
USER_NAME=$(cat "$CREDENTIALS/ARGOETL_FTP_USER")
PASV_ADDRESS=${PASV_ADDRESS:?set PASV_ADDRESS to the address clients reach this server at}
PASV_MIN_PORT=${PASV_MIN_PORT:-30000}
PASV_MAX_PORT=${PASV_MAX_PORT:-30009}
FTP_ROOT=${FTP_ROOT:-/srv/ftp}

if ! id "$USER_NAME" >/dev/null 2>&1; then
  useradd --no-create-home --home-dir "$FTP_ROOT" --shell /bin/sh "$USER_NAME"
fi
printf '%s:%s\n' "$USER_NAME" "$(cat "$CREDENTIALS/ARGOETL_FTP_PASSWORD")" | chpasswd
mkdir -p "$FTP_ROOT/upload"
chown "$USER_NAME" "$FTP_ROOT/upload"

# A hostname (a Service name) is resolved once at start; an IP is used as it is.
case "$PASV_ADDRESS" in
  *[!0-9.]*) RESOLVE=YES ;;
  *) RESOLVE=NO ;;
esac

cat > /etc/vsftpd.conf <<CONF
listen=YES
listen_ipv6=NO
background=NO
seccomp_sandbox=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_umask=022
chroot_local_user=YES
allow_writeable_chroot=YES
local_root=$FTP_ROOT
pam_service_name=vsftpd
secure_chroot_dir=/var/run/vsftpd/empty
pasv_enable=YES
pasv_address=$PASV_ADDRESS
pasv_addr_resolve=$RESOLVE
pasv_min_port=$PASV_MIN_PORT
pasv_max_port=$PASV_MAX_PORT
xferlog_enable=YES
xferlog_std_format=NO
vsftpd_log_file=/dev/stdout
CONF

# vsftpd reports start-up errors on fd 0.
exec /usr/sbin/vsftpd /etc/vsftpd.conf 0>&2
