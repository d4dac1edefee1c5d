namespace ArgoEtl.FtpEvents.Ftp;

/// <summary>
/// How folders are listed. <see cref="Auto"/> picks the best the server offers in FEAT (MLSD, else NLST with SIZE and
/// MDTM, else LIST); the others force one, for servers that announce a command they implement badly.
/// </summary>
internal enum ListingMethod
{
    Auto,
    Mlsd,
    Nlst,
    List,
}
