namespace ArgoEtl;

/// <summary>
/// The one list of the codes ArgoEtl reports: each code, the kind of failure, what it means and what to do about it in
/// general (a throw site adds the specifics). The about_ArgoEtl_Errors help topic is generated from this list at build,
/// and a test fails when a throw site uses a code that is not here, or an entry here is used nowhere.
/// It lives beside <see cref="EtlException"/> in the lowest assembly, so the data plane, the core, the FTP event server
/// and the cmdlets all throw from the same list. (The embedded S3 endpoint's S3Errors carry S3's own wire codes,
/// NoSuchBucket and the like, which it answers over HTTP; they are not ArgoEtl codes.)
/// </summary>
public static class EtlErrors
{
    // General
    public static readonly EtlError Internal = new(nameof(Internal), EtlErrorKind.Internal,
        "Something ArgoEtl did not expect went wrong; the message says what.",
        "Report it as a bug with the command line and the message (never the data or credentials).");
    public static readonly EtlError TransformFailed = new(nameof(TransformFailed), EtlErrorKind.Internal,
        "A conversion failed with an error ArgoEtl does not know how to explain (a bug).",
        "Report it with the input's shape (columns, size, encoding), not its data.");
    public static readonly EtlError DataDirectoryNotAbsolute = new(nameof(DataDirectoryNotAbsolute), EtlErrorKind.InvalidArgument,
        "ARGOETL_DATA_HOME is set to a relative path.",
        "Set ARGOETL_DATA_HOME to an absolute folder, or unset it to use the user's local data folder.");
    public static readonly EtlError DataDirectoryMissing = new(nameof(DataDirectoryMissing), EtlErrorKind.NotFound,
        "There is no folder for ArgoEtl's state: no local application data folder and no home folder.",
        "Set ARGOETL_DATA_HOME (or XDG_DATA_HOME) to an absolute, writable folder.");

    // Conversion input (Invoke-EtlTransform, argoetl-etl)
    public static readonly EtlError LocationInvalid = new(nameof(LocationInvalid), EtlErrorKind.InvalidArgument,
        "An input or output location is empty or malformed.",
        "Give a local path, s3://bucket/key or ftp://host/path.");
    public static readonly EtlError LocationUnsupported = new(nameof(LocationUnsupported), EtlErrorKind.InvalidArgument,
        "A location uses a URI scheme ArgoEtl does not read.",
        "Use a local path, s3://bucket/key or ftp://host/path.");
    public static readonly EtlError InputNotFound = new(nameof(InputNotFound), EtlErrorKind.NotFound,
        "An input file does not exist.",
        "Check the path; relative paths are resolved from the current folder.");
    public static readonly EtlError InputIsDirectory = new(nameof(InputIsDirectory), EtlErrorKind.InvalidArgument,
        "An input names a folder instead of a CSV file.",
        "Name the CSV files in it (a wildcard such as dir/*.csv), not the folder.");
    public static readonly EtlError InputAccessDenied = new(nameof(InputAccessDenied), EtlErrorKind.PermissionDenied,
        "An input file exists but may not be read.",
        "Fix the file's permissions or run as a user that can read it.");
    public static readonly EtlError InputReadFailed = new(nameof(InputReadFailed), EtlErrorKind.PermissionDenied,
        "An input could not be opened or read to the end (a file system or network error).",
        "Check the file, its file system or the connection named in the message, and run again.");
    public static readonly EtlError OutputSameAsInput = new(nameof(OutputSameAsInput), EtlErrorKind.InvalidArgument,
        "The output would overwrite the input being read.",
        "Write the output to another file or folder.");
    public static readonly EtlError EventNoObjects = new(nameof(EventNoObjects), EtlErrorKind.InvalidData,
        "An event body names no object to convert (no S3 record, SNS message or FTP file).",
        "Pass the event body as Argo Events delivers it ({{events.<dependency>.body}}), or give the input location directly.");
    public static readonly EtlError EventInvalidJson = new(nameof(EventInvalidJson), EtlErrorKind.InvalidData,
        "An event body is neither JSON nor base64-encoded JSON.",
        "Pass the event body as Argo Events delivers it.");
    public static readonly EtlError EventFtpBaseMissing = new(nameof(EventFtpBaseMissing), EtlErrorKind.InvalidArgument,
        "An FTP event names a file but no FTP server was given to read it from.",
        "Pass --ftp-url ftp://host:port/dir (or set ARGOETL_FTP_URL).");
    public static readonly EtlError EventFileUnreadable = new(nameof(EventFileUnreadable), EtlErrorKind.NotFound,
        "The file given with --event @file cannot be read.",
        "Check the path after --event @ and its permissions.");
    public static readonly EtlError CliUsage = new(nameof(CliUsage), EtlErrorKind.InvalidArgument,
        "argoetl-etl was called with options it does not understand.",
        "Run argoetl-etl --help for the options.");

    // CSV and schema
    public static readonly EtlError CsvBadValue = new(nameof(CsvBadValue), EtlErrorKind.InvalidData,
        "A field does not convert to its column's type.",
        "Fix the value at the line and column named, change the column's type in the schema, or pass -BadRow Skip to write rejects instead.");
    public static readonly EtlError CsvFieldCount = new(nameof(CsvFieldCount), EtlErrorKind.InvalidData,
        "A row has more or fewer fields than the header.",
        "Fix the row at the line named (a missing or extra delimiter), or pass -BadRow Skip.");
    public static readonly EtlError CsvBadQuote = new(nameof(CsvBadQuote), EtlErrorKind.InvalidData,
        "A quote appears inside an unquoted field.",
        "Quote the field and double the quotes inside it, or pass -LenientQuotes (--lenient-quotes) to take such quotes literally.");
    public static readonly EtlError CsvUnterminatedQuote = new(nameof(CsvUnterminatedQuote), EtlErrorKind.InvalidData,
        "A quoted field is never closed, so the rest of the file cannot be split into rows.",
        "Close the quote at the line named (or double a quote meant literally).");
    public static readonly EtlError CsvDuplicateHeader = new(nameof(CsvDuplicateHeader), EtlErrorKind.InvalidData,
        "The header names a column twice.",
        "Give every column a distinct name, or pass a schema and no header if line 1 is data.");
    public static readonly EtlError CsvNoColumns = new(nameof(CsvNoColumns), EtlErrorKind.InvalidData,
        "The input is empty, so there are no columns to write to Parquet.",
        "Pass a schema (-Schema 'name:type,...') to write an empty file with columns, or check the input.");
    public static readonly EtlError CsvSchemaColumnMissing = new(nameof(CsvSchemaColumnMissing), EtlErrorKind.InvalidData,
        "A schema column is not in the CSV header.",
        "Name the schema's columns as the header does, or set no header to bind by position.");
    public static readonly EtlError CsvHeaderMismatch = new(nameof(CsvHeaderMismatch), EtlErrorKind.InvalidData,
        "The header has columns the schema does not declare.",
        "Add them to the schema or remove them from the CSV.");
    public static readonly EtlError SchemaFileNotFound = new(nameof(SchemaFileNotFound), EtlErrorKind.NotFound,
        "The schema file does not exist.",
        "Check the path, or pass the schema inline as 'name:type,...'.");
    public static readonly EtlError SchemaFileInvalidYaml = new(nameof(SchemaFileInvalidYaml), EtlErrorKind.InvalidArgument,
        "The schema file is not valid YAML.",
        "Fix the YAML at the line and column named.");
    public static readonly EtlError SchemaFileInvalid = new(nameof(SchemaFileInvalid), EtlErrorKind.InvalidArgument,
        "The schema file is not a 'columns' list of {name, type} entries.",
        "Write 'columns:' followed by '- name: no' / '  type: int64' entries.");
    public static readonly EtlError SchemaDuplicateColumn = new(nameof(SchemaDuplicateColumn), EtlErrorKind.InvalidArgument,
        "The schema names a column twice.",
        "Give every column a distinct name.");
    public static readonly EtlError SchemaUnknownType = new(nameof(SchemaUnknownType), EtlErrorKind.InvalidArgument,
        "A schema column has a type ArgoEtl does not know.",
        "Use one of: string, int32, int64, double, boolean, date, timestamp.");
    public static readonly EtlError SchemaInvalid = new(nameof(SchemaInvalid), EtlErrorKind.InvalidArgument,
        "An inline schema entry is not name:type.",
        "Write the schema as name:type pairs separated by commas, e.g. 'no:int64,name:string,score:int32'.");

    // Conversion output
    public static readonly EtlError DestinationNotFolder = new(nameof(DestinationNotFolder), EtlErrorKind.InvalidArgument,
        "Several inputs would be written to the same single output file.",
        "End -Destination with '/' to write each input into that folder, or use -OutputKeyTemplate.");
    public static readonly EtlError DestinationAccessDenied = new(nameof(DestinationAccessDenied), EtlErrorKind.PermissionDenied,
        "The destination may not be written.",
        "Choose a folder you can write to, or fix its permissions.");
    public static readonly EtlError DestinationReadOnly = new(nameof(DestinationReadOnly), EtlErrorKind.PermissionDenied,
        "The destination is on a read-only file system.",
        "Write to a writable file system (in a container: a mounted volume or /tmp).");
    public static readonly EtlError DestinationFull = new(nameof(DestinationFull), EtlErrorKind.PermissionDenied,
        "The destination's file system is full; nothing was published.",
        "Free space or write elsewhere; a conversion needs room for its whole output.");
    public static readonly EtlError DestinationWriteFailed = new(nameof(DestinationWriteFailed), EtlErrorKind.PermissionDenied,
        "Writing the output failed for another file system reason.",
        "Check the destination folder and its file system.");
    public static readonly EtlError ParquetMetadataRewrite = new(nameof(ParquetMetadataRewrite), EtlErrorKind.Internal,
        "A Parquet footer or column chunk could not be re-encoded (a bug).",
        "Report it with the input's column types; converting to NDJSON is not affected.");

    // Object stores (S3, FTP)
    public static readonly EtlError S3EndpointInvalid = new(nameof(S3EndpointInvalid), EtlErrorKind.InvalidArgument,
        "The S3 endpoint is not an http:// or https:// URL.",
        "Give it as a URL, e.g. http://localhost:9000 (-EndpointUrl, --s3-endpoint or AWS_ENDPOINT_URL_S3).");
    public static readonly EtlError S3Unreachable = new(nameof(S3Unreachable), EtlErrorKind.Connection,
        "The S3 endpoint could not be reached (after retries).",
        "Check the endpoint URL and that the store is running and reachable.");
    public static readonly EtlError S3BucketNotFound = new(nameof(S3BucketNotFound), EtlErrorKind.NotFound,
        "The bucket does not exist at this endpoint and region.",
        "Create the bucket or correct its name; check the endpoint and region too.");
    public static readonly EtlError S3ObjectNotFound = new(nameof(S3ObjectNotFound), EtlErrorKind.NotFound,
        "The object does not exist.",
        "Check the key (keys are case-sensitive) and that the upload finished.");
    public static readonly EtlError S3AccessDenied = new(nameof(S3AccessDenied), EtlErrorKind.PermissionDenied,
        "The store denied access to the object or bucket.",
        "Grant the caller s3:GetObject/s3:PutObject on the bucket and prefix.");
    public static readonly EtlError S3CredentialsRejected = new(nameof(S3CredentialsRejected), EtlErrorKind.Authentication,
        "The store rejected the credentials.",
        "Check the access key and secret (or the profile), and that they belong to this endpoint.");
    public static readonly EtlError S3NoCredentials = new(nameof(S3NoCredentials), EtlErrorKind.Authentication,
        "No AWS credentials were found for an S3 location.",
        "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, choose a profile (AWS_PROFILE), or run where a role is available.");
    public static readonly EtlError S3RequestFailed = new(nameof(S3RequestFailed), EtlErrorKind.Connection,
        "An S3 request failed for a reason other than the ones above.",
        "Check the endpoint and that the store is reachable; the error code in the message says more.");
    public static readonly EtlError FtpFileNotFound = new(nameof(FtpFileNotFound), EtlErrorKind.NotFound,
        "The FTP file does not exist (or may not be written there).",
        "Check the path and the folder's permissions on the server.");
    public static readonly EtlError FtpLoginFailed = new(nameof(FtpLoginFailed), EtlErrorKind.Authentication,
        "The FTP server refused the login.",
        "Set ARGOETL_FTP_USER and ARGOETL_FTP_PASSWORD (or the *_FILE variants), or put them in the URI.");
    public static readonly EtlError FtpUnreachable = new(nameof(FtpUnreachable), EtlErrorKind.Connection,
        "The FTP server could not be reached (after retries).",
        "Check the host and port and that the server is running.");
    public static readonly EtlError FtpRequestFailed = new(nameof(FtpRequestFailed), EtlErrorKind.Connection,
        "An FTP transfer failed (after retries).",
        "Check that the server is reachable and allows passive mode.");
    public static readonly EtlError FtpCredentialsUnreadable = new(nameof(FtpCredentialsUnreadable), EtlErrorKind.Authentication,
        "The file named by ARGOETL_FTP_USER_FILE or ARGOETL_FTP_PASSWORD_FILE cannot be read.",
        "Mount the Secret at that path, or set the variable itself instead.");
    public static readonly EtlError FtpCommandFailed = new(nameof(FtpCommandFailed), EtlErrorKind.Connection,
        "The FTP server refused a command of the FTP event server.",
        "Check the folder's path and permissions on the FTP server.");
    public static readonly EtlError FtpEventsCheckpointCorrupt = new(nameof(FtpEventsCheckpointCorrupt), EtlErrorKind.InvalidData,
        "The FTP event server's checkpoint file is not one it wrote.",
        "Move it away to start afresh (startFrom then applies), or point 'checkpoint' at another file.");
    public static readonly EtlError FtpEventsConfigInvalid = new(nameof(FtpEventsConfigInvalid), EtlErrorKind.InvalidArgument,
        "The FTP event server's watch configuration (the EventSource's generic config) is invalid.",
        "Fix the EventSource's spec.generic.<name>.config at the field named.");

    // Projects (skaffold.yaml, YAML, manifests)
    public static readonly EtlError SkaffoldConfigNotFound = new(nameof(SkaffoldConfigNotFound), EtlErrorKind.NotFound,
        "There is no skaffold.yaml at the path.",
        "Pass -Path with the project folder or its skaffold.yaml.");
    public static readonly EtlError SkaffoldConfigInvalid = new(nameof(SkaffoldConfigInvalid), EtlErrorKind.InvalidData,
        "A document of skaffold.yaml is not a mapping.",
        "Start each document with apiVersion: and kind: Config.");
    public static readonly EtlError SkaffoldConfigEmpty = new(nameof(SkaffoldConfigEmpty), EtlErrorKind.InvalidData,
        "skaffold.yaml holds no Skaffold config.",
        "Add apiVersion: skaffold/v4beta13 and kind: Config.");
    public static readonly EtlError SkaffoldApiVersionUnsupported = new(nameof(SkaffoldApiVersionUnsupported), EtlErrorKind.InvalidData,
        "skaffold.yaml's apiVersion is not one ArgoEtl reads.",
        "Use one of skaffold/v4beta1 to skaffold/v4beta13 (skaffold fix upgrades older configs).");
    public static readonly EtlError SkaffoldKindUnsupported = new(nameof(SkaffoldKindUnsupported), EtlErrorKind.InvalidData,
        "A document of skaffold.yaml is not kind: Config.",
        "Use kind: Config.");
    public static readonly EtlError SkaffoldProfileInvalid = new(nameof(SkaffoldProfileInvalid), EtlErrorKind.InvalidData,
        "A profile is not a mapping.",
        "Give each profile a name and the sections it overrides.");
    public static readonly EtlError SkaffoldProfileDuplicate = new(nameof(SkaffoldProfileDuplicate), EtlErrorKind.InvalidData,
        "Two profiles have the same name.",
        "Rename or merge them.");
    public static readonly EtlError SkaffoldPatchFailed = new(nameof(SkaffoldPatchFailed), EtlErrorKind.InvalidData,
        "A profile's JSON patch does not apply.",
        "Patch paths are JSON pointers into the config with the profile's sections applied, e.g. /build/artifacts/0/docker/dockerfile.");
    public static readonly EtlError ProfileNotFound = new(nameof(ProfileNotFound), EtlErrorKind.NotFound,
        "A profile named with -Name does not exist.",
        "Use one of the profiles the message lists (Tab completes them).");
    public static readonly EtlError TemplateUnsupported = new(nameof(TemplateUnsupported), EtlErrorKind.InvalidData,
        "A template value uses more than Skaffold's {{.NAME}} and default forms.",
        "Use {{.NAME}} or {{default \"value\" .NAME}}.");
    public static readonly EtlError YamlFileUnreadable = new(nameof(YamlFileUnreadable), EtlErrorKind.NotFound,
        "A YAML file cannot be read.",
        "Check the path and its permissions.");
    public static readonly EtlError YamlSyntaxError = new(nameof(YamlSyntaxError), EtlErrorKind.InvalidData,
        "A YAML file is not valid YAML (as kubectl reads it).",
        "Fix the syntax at the file:line named.");
    public static readonly EtlError YamlKeyNotScalar = new(nameof(YamlKeyNotScalar), EtlErrorKind.InvalidData,
        "A mapping key is a list or a mapping.",
        "Write the key as text (quote it if needed).");
    public static readonly EtlError YamlDuplicateKey = new(nameof(YamlDuplicateKey), EtlErrorKind.InvalidData,
        "A mapping gives the same key twice (kubectl refuses it too).",
        "Keep one of the two.");
    public static readonly EtlError YamlTooDeep = new(nameof(YamlTooDeep), EtlErrorKind.InvalidData,
        "A YAML document nests deeper than any Kubernetes object needs; it is not read.",
        "Flatten the structure.");
    public static readonly EtlError YamlAliasLimit = new(nameof(YamlAliasLimit), EtlErrorKind.InvalidData,
        "A document's aliases would expand to too many nodes (an alias bomb); it is not read.",
        "Write the repeated content out, or nest fewer aliases.");
    public static readonly EtlError ManifestNotAnObject = new(nameof(ManifestNotAnObject), EtlErrorKind.InvalidData,
        "A manifest document is not a Kubernetes object (no apiVersion, kind or metadata.name).",
        "Remove the document or complete it.");
    public static readonly EtlError ManifestWriteFailed = new(nameof(ManifestWriteFailed), EtlErrorKind.PermissionDenied,
        "Rendered manifests cannot be written to the given path.",
        "Check that the folder exists and is writable, and that the path is not a folder.");
    public static readonly EtlError HelmNotInstalled = new(nameof(HelmNotInstalled), EtlErrorKind.NotInstalled,
        "A profile deploys a Helm release and helm is not on PATH.",
        "Install Helm 3, or render a profile without deploy.helm.");
    public static readonly EtlError HelmReleaseInvalid = new(nameof(HelmReleaseInvalid), EtlErrorKind.InvalidData,
        "A Helm release has neither chartPath nor remoteChart.",
        "Set chartPath (a chart folder in the project) or remoteChart (with repo).");
    public static readonly EtlError HelmTemplateFailed = new(nameof(HelmTemplateFailed), EtlErrorKind.InvalidData,
        "helm template failed for a release.",
        "Fix the chart or values; 'helm template' with the same arguments shows the same error.");
    public static readonly EtlError ImageArgumentInvalid = new(nameof(ImageArgumentInvalid), EtlErrorKind.InvalidArgument,
        "An -Image value is neither an EtlImage nor 'artifact=reference'.",
        "Pipe Publish-EtlImage's output, or write each image as name=reference, e.g. minio-etl=localhost:5000/minio-etl:abc.");
    public static readonly EtlError ProjectCheckFailed = new(nameof(ProjectCheckFailed), EtlErrorKind.InvalidData,
        "Test-EtlProject -Strict found errors or warnings.",
        "Fix the findings it listed, then run it again.");

    // Images (Publish-EtlImage)
    public static readonly EtlError RegistryMissing = new(nameof(RegistryMissing), EtlErrorKind.InvalidArgument,
        "There is nowhere to put images: no -Registry and no minikube context to load into.",
        "Pass -Registry (e.g. localhost:5000), or switch to the minikube context.");
    public static readonly EtlError BuildContextNotFound = new(nameof(BuildContextNotFound), EtlErrorKind.NotFound,
        "An artifact's build context folder does not exist.",
        "Fix the artifact's context in skaffold.yaml (relative to the file).");
    public static readonly EtlError ArtifactContextNotFound = new(nameof(ArtifactContextNotFound), EtlErrorKind.NotFound,
        "An artifact's context folder does not exist (local target).",
        "Fix build.artifacts[].context in skaffold.yaml (relative to the project folder).");
    public static readonly EtlError DotNetProjectNotFound = new(nameof(DotNetProjectNotFound), EtlErrorKind.NotFound,
        "A .NET artifact's context holds no single .csproj.",
        "Point the artifact's context at the project folder or its .csproj.");
    public static readonly EtlError DockerfileNotFound = new(nameof(DockerfileNotFound), EtlErrorKind.NotFound,
        "An artifact's Dockerfile does not exist.",
        "Add it, or set docker.dockerfile to its path relative to the context.");
    public static readonly EtlError TagMissing = new(nameof(TagMissing), EtlErrorKind.InvalidArgument,
        "-TagPolicy Custom was given without -Tag.",
        "Pass -Tag, or use the InputDigest or GitCommit policy.");
    public static readonly EtlError BuilderNotFound = new(nameof(BuilderNotFound), EtlErrorKind.NotInstalled,
        "A Dockerfile artifact needs a container builder and none is available.",
        "Install buildah or podman, or start Docker.");
    public static readonly EtlError BuilderNotInstalled = new(nameof(BuilderNotInstalled), EtlErrorKind.NotInstalled,
        "The builder chosen for an artifact is not installed.",
        "Install it, or choose another one with -Builder.");
    public static readonly EtlError BuildahStorageNotAbsolute = new(nameof(BuildahStorageNotAbsolute), EtlErrorKind.InvalidArgument,
        "The folder for buildah's storage is a relative path.",
        "Give an absolute folder (or unset ARGOETL_DATA_HOME to use the default).");
    public static readonly EtlError ContainerHelperMissing = new(nameof(ContainerHelperMissing), EtlErrorKind.NotInstalled,
        "The container builder needs a helper program that is not installed.",
        "Install the Debian package the message names.");
    public static readonly EtlError ImageBuildFailed = new(nameof(ImageBuildFailed), EtlErrorKind.InvalidData,
        "The image build failed.",
        "Fix what the builder reports; run it by hand with the same arguments to see all of its output.");
    public static readonly EtlError ImagePushMissing = new(nameof(ImagePushMissing), EtlErrorKind.Connection,
        "The builder finished but the image is not in the registry.",
        "Check the builder's output for a push to another registry.");
    public static readonly EtlError RegistryUnreachable = new(nameof(RegistryUnreachable), EtlErrorKind.Connection,
        "The registry did not answer.",
        "Check -Registry and that the registry is running and reachable.");
    public static readonly EtlError RegistryAccessDenied = new(nameof(RegistryAccessDenied), EtlErrorKind.Authentication,
        "The registry refused access.",
        "Log in (docker login or a credential helper writes ~/.docker/config.json), or use -Credential.");
    public static readonly EtlError RegistryRequestFailed = new(nameof(RegistryRequestFailed), EtlErrorKind.Connection,
        "The registry answered with an unexpected status.",
        "Check the registry's health.");
    public static readonly EtlError EcrLoginFailed = new(nameof(EcrLoginFailed), EtlErrorKind.Authentication,
        "ECR returned no authorization data.",
        "Check that the caller may call ecr:GetAuthorizationToken.");
    public static readonly EtlError EcrRepositoryMissing = new(nameof(EcrRepositoryMissing), EtlErrorKind.NotFound,
        "The ECR repository for an image does not exist.",
        "Pass -CreateRepository to create it, or create it with the AWS console or CLI.");

    // AWS
    public static readonly EtlError AwsProfileNotFound = new(nameof(AwsProfileNotFound), EtlErrorKind.Authentication,
        "The AWS profile is not in the shared config or credentials file.",
        "Check -ProfileName (or AWS_PROFILE) against ~/.aws/config and ~/.aws/credentials, or pass -Credential.");
    public static readonly EtlError AwsNoCredentials = new(nameof(AwsNoCredentials), EtlErrorKind.Authentication,
        "No AWS credentials were found.",
        "Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, choose a profile with -ProfileName, run 'aws sso login', or pass -Credential.");
    public static readonly EtlError AwsNoRegion = new(nameof(AwsNoRegion), EtlErrorKind.InvalidArgument,
        "No AWS region was given or configured.",
        "Pass -Region, set AWS_REGION, or set a region in the profile.");
    public static readonly EtlError AwsUnreachable = new(nameof(AwsUnreachable), EtlErrorKind.Connection,
        "An AWS endpoint could not be reached.",
        "Check -EndpointUrl (or AWS_ENDPOINT_URL), the region and the network.");
    public static readonly EtlError AwsAccessDenied = new(nameof(AwsAccessDenied), EtlErrorKind.PermissionDenied,
        "AWS denied the call.",
        "Grant the caller the action the message names, or use a profile or role that has it.");
    public static readonly EtlError AwsCredentialsRejected = new(nameof(AwsCredentialsRejected), EtlErrorKind.Authentication,
        "AWS rejected the credentials (wrong, expired, or for another endpoint).",
        "Check the access key and secret, or refresh the session (e.g. 'aws sso login').");
    public static readonly EtlError AwsResourceNotFound = new(nameof(AwsResourceNotFound), EtlErrorKind.NotFound,
        "The AWS resource does not exist.",
        "Check the name and the region.");
    public static readonly EtlError AwsServiceUnavailable = new(nameof(AwsServiceUnavailable), EtlErrorKind.Connection,
        "AWS kept failing or throttling after retries.",
        "Try again later.");
    public static readonly EtlError HelmInstallFailed = new(nameof(HelmInstallFailed), EtlErrorKind.Internal,
        "helm failed to install or upgrade a chart of the platform (the AWS Load Balancer Controller).",
        "Fix what helm reports, or pass -ManifestSource with the rendered manifests to install without helm.");
    public static readonly EtlError EksClusterNotFound = new(nameof(EksClusterNotFound), EtlErrorKind.NotFound,
        "The EKS cluster named by -ClusterName does not exist in the region, or has no OIDC issuer.",
        "Check -ClusterName and -Region (aws eks list-clusters); a cluster made without an OIDC issuer needs one.");
    public static readonly EtlError EksClusterNameRequired = new(nameof(EksClusterNameRequired), EtlErrorKind.InvalidArgument,
        "The Eks platform was asked for without naming the cluster.",
        "Pass -ClusterName (aws eks list-clusters shows the names).");
    public static readonly EtlError EksClusterStillExists = new(nameof(EksClusterStillExists), EtlErrorKind.Conflict,
        "Leftovers of an EKS cluster were asked for (Get-EtlInfraLeftover, Remove-EtlInfraLeftover) while the cluster still exists in that region: what it tags is still in use by it, not left over.",
        "Delete the cluster first ('eksctl delete cluster --name NAME --region REGION'), wait until 'aws eks describe-cluster' no longer finds it, then list and remove the leftovers.");
    public static readonly EtlError AwsConflict = new(nameof(AwsConflict), EtlErrorKind.Conflict,
        "AWS refused the change because something else holds or uses the resource (e.g. a policy still attached, an entity being modified).",
        "Resolve what the message names (detach, wait, or remove the other user) and run again.");
    public static readonly EtlError AwsInvalidRequest = new(nameof(AwsInvalidRequest), EtlErrorKind.InvalidArgument,
        "AWS refused a value in the request.",
        "Correct the value named in the message.");
    public static readonly EtlError AwsRequestFailed = new(nameof(AwsRequestFailed), EtlErrorKind.Internal,
        "An AWS call failed with an error code ArgoEtl does not map.",
        "See the AWS error code in the message.");
    public static readonly EtlError InvalidProjectName = new(nameof(InvalidProjectName), EtlErrorKind.InvalidArgument,
        "A project name cannot be used in AWS resource names.",
        "Use 1-64 letters, digits, '-' or '_'.");
    public static readonly EtlError InvalidBucketName = new(nameof(InvalidBucketName), EtlErrorKind.InvalidArgument,
        "A bucket name is not a valid S3 bucket name.",
        "Pass the bucket's name as S3 shows it (not an s3:// URI or an ARN).");
    public static readonly EtlError InvalidKeyFilter = new(nameof(InvalidKeyFilter), EtlErrorKind.InvalidArgument,
        "-Prefix or -Suffix holds characters S3 key filters do not allow.",
        "Pass the key prefix or suffix as S3 shows it (e.g. input/ or .csv).");
    public static readonly EtlError InvalidEventType = new(nameof(InvalidEventType), EtlErrorKind.InvalidArgument,
        "An event type is not an S3 event name.",
        "Use S3 event names such as s3:ObjectCreated:*.");
    public static readonly EtlError S3NotificationConflict = new(nameof(S3NotificationConflict), EtlErrorKind.Conflict,
        "The bucket already sends overlapping events to another destination, which S3 refuses.",
        "Narrow -Prefix/-Suffix so they do not overlap, or remove the other notification entry.");
    public static readonly EtlError S3BucketInOtherRegion = new(nameof(S3BucketInOtherRegion), EtlErrorKind.InvalidArgument,
        "The bucket is in another region than the SNS topic would be.",
        "Run again with -Region set to the bucket's region.");
    public static readonly EtlError IamRoleNotFound = new(nameof(IamRoleNotFound), EtlErrorKind.NotFound,
        "The IAM role the event source runs as does not exist.",
        "Pass the role the SNS event source runs as (-NodeRoleName or -RoleName).");
    public static readonly EtlError S3NotificationIncomplete = new(nameof(S3NotificationIncomplete), EtlErrorKind.Internal,
        "A bucket's notification settings vanished between two steps of the same change.",
        "Run the command again; another writer changed the bucket meanwhile.");

    // Kubernetes and infrastructure
    public static readonly EtlError KubeconfigNotFound = new(nameof(KubeconfigNotFound), EtlErrorKind.NotFound,
        "No kubeconfig file exists.",
        "Set KUBECONFIG or -KubeConfig, or create a cluster (minikube start writes ~/.kube/config).");
    public static readonly EtlError KubeconfigInvalid = new(nameof(KubeconfigInvalid), EtlErrorKind.InvalidData,
        "The kubeconfig cannot be read or its context is incomplete.",
        "Fix the file or choose another context with -KubeContext.");
    public static readonly EtlError KubeApiUnreachable = new(nameof(KubeApiUnreachable), EtlErrorKind.Connection,
        "The Kubernetes API server did not answer.",
        "Check that the cluster is running (minikube status) and that the context points at it.");
    public static readonly EtlError KubeNotFound = new(nameof(KubeNotFound), EtlErrorKind.NotFound,
        "The object or its kind does not exist in the cluster.",
        "Check the name, the namespace and that the kind's CRD is installed.");
    public static readonly EtlError KubeConflict = new(nameof(KubeConflict), EtlErrorKind.Conflict,
        "Another field manager owns fields this apply sets.",
        "Run again with -Force to take them over, or change the other owner.");
    public static readonly EtlError KubeInvalid = new(nameof(KubeInvalid), EtlErrorKind.InvalidData,
        "The API server refused an object as invalid.",
        "Fix the object as the message says.");
    public static readonly EtlError KubeUnauthorized = new(nameof(KubeUnauthorized), EtlErrorKind.Authentication,
        "The API server refused the credentials.",
        "Refresh the cluster credentials in the kubeconfig.");
    public static readonly EtlError KubeForbidden = new(nameof(KubeForbidden), EtlErrorKind.PermissionDenied,
        "The kube context's user may not do this.",
        "Use a context whose user may (cluster-admin for installs).");
    public static readonly EtlError KubeUnavailable = new(nameof(KubeUnavailable), EtlErrorKind.Connection,
        "The API server kept failing or throttling after retries.",
        "Try again.");
    public static readonly EtlError KubeRequestFailed = new(nameof(KubeRequestFailed), EtlErrorKind.InvalidData,
        "The API server answered with an unexpected status.",
        "See the API server's message.");
    public static readonly EtlError KubeKindNotServed = new(nameof(KubeKindNotServed), EtlErrorKind.NotFound,
        "The cluster does not serve a manifest's kind.",
        "Install its CustomResourceDefinition first (Install-EtlInfra installs Argo's), or check apiVersion.");
    public static readonly EtlError CrdNotEstablished = new(nameof(CrdNotEstablished), EtlErrorKind.Connection,
        "A CustomResourceDefinition did not become Established in time.",
        "Check the API server's health and the CRD's conditions (kubectl describe crd).");
    public static readonly EtlError RolloutTimeout = new(nameof(RolloutTimeout), EtlErrorKind.Connection,
        "A Deployment or StatefulSet did not become available in time.",
        "Fix what its events say (image pull, resources, crash loop), or raise -Timeout.");
    public static readonly EtlError PortForwardTypeUnsupported = new(nameof(PortForwardTypeUnsupported), EtlErrorKind.InvalidArgument,
        "A port-forward names a resource type other than service or pod.",
        "Use resourceType service or pod.");
    public static readonly EtlError PortForwardLocalPortBusy = new(nameof(PortForwardLocalPortBusy), EtlErrorKind.Conflict,
        "A port-forward's local port is in use.",
        "Stop what listens there, or choose another localPort.");
    public static readonly EtlError PortForwardAddressInvalid = new(nameof(PortForwardAddressInvalid), EtlErrorKind.InvalidArgument,
        "A port-forward's address is neither an IP address nor localhost.",
        "Set portForward's address to an IP address of this machine (127.0.0.1, the default) or localhost.");
    public static readonly EtlError PortForwardNoSelector = new(nameof(PortForwardNoSelector), EtlErrorKind.InvalidData,
        "A forwarded Service has no selector, so no pod.",
        "Forward to a pod instead.");
    public static readonly EtlError PortForwardNoPod = new(nameof(PortForwardNoPod), EtlErrorKind.NotFound,
        "A forwarded Service has no running pod.",
        "Check the workload behind it.");
    public static readonly EtlError InfraProfileUnsupported = new(nameof(InfraProfileUnsupported), EtlErrorKind.InvalidArgument,
        "Install-EtlInfra was given a profile it does not know as a platform.",
        "Use -Profile with a platform it knows, or pipe such a profile.");
    public static readonly EtlError ManifestSourceIncomplete = new(nameof(ManifestSourceIncomplete), EtlErrorKind.NotFound,
        "The -ManifestSource folder lacks a release manifest.",
        "Put the release's install.yaml where the message says.");
    public static readonly EtlError ManifestDownloadFailed = new(nameof(ManifestDownloadFailed), EtlErrorKind.Connection,
        "A release manifest could not be downloaded.",
        "Check the network, or pass a folder with local copies through -ManifestSource.");
    public static readonly EtlError WorkflowTokenMissing = new(nameof(WorkflowTokenMissing), EtlErrorKind.NotFound,
        "The Argo Workflows UI token Secret does not exist.",
        "Run Install-EtlInfra first.");
    public static readonly EtlError WorkflowTokenPending = new(nameof(WorkflowTokenPending), EtlErrorKind.Connection,
        "The UI token Secret has no token yet.",
        "Try again in a few seconds; the token controller fills it in.");
    public static readonly EtlError ArtifactBucketFailed = new(nameof(ArtifactBucketFailed), EtlErrorKind.Connection,
        "The artifact bucket could not be created in the object store.",
        "Check that the object store is running, or pass -ObjectStoreEndpoint with its S3 API address.");

    // Dev loop (Start-EtlDev)
    public static readonly EtlError DevPhaseTimedOut = new(nameof(DevPhaseTimedOut), EtlErrorKind.Connection,
        "A phase of the dev loop (build, deploy) timed out.",
        "Check that the registry or cluster answers; the next change tries again.");
    public static readonly EtlError DevTemplateValueName = new(nameof(DevTemplateValueName), EtlErrorKind.InvalidArgument,
        "A template value from a -Before block has a name that cannot be used as {{.NAME}} in a template.",
        "Use letters, digits and _, starting with a letter or _ (e.g. TOPIC_ARN).");
    public static readonly EtlError DevHookFailed = new(nameof(DevHookFailed), EtlErrorKind.InvalidData,
        "A -Before, -After or -Cleanup scriptblock of Start-EtlDev threw an error.",
        "Fix the scriptblock; the next change runs it again (a -Cleanup block runs once, at the end).");
    public static readonly EtlError DevNotRunning = new(nameof(DevNotRunning), EtlErrorKind.Connection,
        "After a deploy, an EventSource, Sensor or Deployment did not become ready within the timeout.",
        "Fix what the conditions and events in the message say (image, RBAC, EventBus), then save a change to deploy again.");
    public static readonly EtlError IngressAddressTimeout = new(nameof(IngressAddressTimeout), EtlErrorKind.Connection,
        "An Ingress got no load balancer address (status.loadBalancer.ingress[0]) within the timeout.",
        "Check the AWS Load Balancer Controller (its logs and the Ingress events: kubectl describe ingress), its IAM role and the subnets tags, then run again.");

    // Local target (Invoke-EtlPipeline, Start-EtlDev -Target Local)
    public static readonly EtlError PipelineInputMissing = new(nameof(PipelineInputMissing), EtlErrorKind.InvalidArgument,
        "Invoke-EtlPipeline needs exactly one of -InputFile and -Data.",
        "Use -InputFile ./data.csv to fire the store's event, or -EventSource/-EventName/-Data to push an event.");
    public static readonly EtlError PipelineEventSourceNotFound = new(nameof(PipelineEventSourceNotFound), EtlErrorKind.InvalidArgument,
        "No EventSource of the project fits the input.",
        "Name an EventSource with -EventSource (the message lists them).");
    public static readonly EtlError PipelineEventSourceAmbiguous = new(nameof(PipelineEventSourceAmbiguous), EtlErrorKind.InvalidArgument,
        "Several EventSources fit the input.",
        "Choose one with -EventSource (and -EventName).");
    public static readonly EtlError InputFileNotFound = new(nameof(InputFileNotFound), EtlErrorKind.NotFound,
        "The -InputFile does not exist.",
        "Give the path of a file to put into the store.");
    public static readonly EtlError InputBucketRequired = new(nameof(InputBucketRequired), EtlErrorKind.InvalidArgument,
        "The event source names no bucket for -InputFile.",
        "Give the bucket with -Bucket.");
    public static readonly EtlError LocalEventNotFound = new(nameof(LocalEventNotFound), EtlErrorKind.NotFound,
        "No EventSource event has the given names.",
        "Use one of the events the message lists.");
    public static readonly EtlError InjectedDataShape = new(nameof(InjectedDataShape), EtlErrorKind.InvalidArgument,
        "-Data is not shaped as that event source sends it.",
        "Shape it as the message shows, or use -InputFile for store events.");
    public static readonly EtlError InjectedObjectFiltered = new(nameof(InjectedObjectFiltered), EtlErrorKind.InvalidArgument,
        "The EventSource's filter would not fire for this object.",
        "Put the file under the bucket, prefix and suffix the EventSource listens to.");
    public static readonly EtlError InjectedObjectUnsupported = new(nameof(InjectedObjectUnsupported), EtlErrorKind.InvalidArgument,
        "The event source does not fire for objects put into a bucket.",
        "Use -Data for it, or name a minio or sns EventSource.");
    public static readonly EtlError LocalUnsupportedEventSourceType = new(nameof(LocalUnsupportedEventSourceType), EtlErrorKind.InvalidData,
        "The project uses an event source type the local target does not run.",
        "Run on the Kubernetes target, or replace the source with one the local target runs (webhook, file).");
    public static readonly EtlError LocalUnsupportedField = new(nameof(LocalUnsupportedField), EtlErrorKind.InvalidData,
        "A manifest field the local target does not implement would be ignored, so the run stops before it starts.",
        "Remove the field, correct its spelling, or run on the Kubernetes target.");
    public static readonly EtlError LocalSnsSubscribeFailed = new(nameof(LocalSnsSubscribeFailed), EtlErrorKind.Connection,
        "The local sns event source could not subscribe its webhook to the topic.",
        "Check the SNS endpoint and the topic ARN, and that the webhook URL is reachable from SNS.");
    public static readonly EtlError LocalWorkloadFailed = new(nameof(LocalWorkloadFailed), EtlErrorKind.Internal,
        "A Deployment the local target runs as a host process exited or did not start listening.",
        "Read its log under the state folder (workloads/<name>/main.log), fix it, and save a change to restart it.");
    public static readonly EtlError EventSourceInvalid = new(nameof(EventSourceInvalid), EtlErrorKind.InvalidData,
        "An EventSource defines an event name twice.",
        "Give each event its own name.");
    public static readonly EtlError SensorInvalid = new(nameof(SensorInvalid), EtlErrorKind.InvalidData,
        "A Sensor manifest is malformed at the field named.",
        "Fix the field at the file:line named.");
    public static readonly EtlError SensorParameterOperationInvalid = new(nameof(SensorParameterOperationInvalid), EtlErrorKind.InvalidData,
        "A Sensor trigger parameter's operation is not append, prepend or overwrite.",
        "Use append, prepend or overwrite (or leave it out to overwrite).");
    public static readonly EtlError LocalSecretMissing = new(nameof(LocalSecretMissing), EtlErrorKind.NotFound,
        "An event source reads a Secret and none is available locally.",
        "Provide the Secret in the project's manifests.");
    public static readonly EtlError LocalReferenceUnresolved = new(nameof(LocalReferenceUnresolved), EtlErrorKind.NotFound,
        "A manifest refers to a Secret or ConfigMap key nobody provides.",
        "Add the Secret or ConfigMap (or the key) to the project's manifests.");
    public static readonly EtlError FileEventDirectoryMissing = new(nameof(FileEventDirectoryMissing), EtlErrorKind.NotFound,
        "A file event source watches a folder that does not exist.",
        "Create it first, or point watchPathConfig.directory at an existing one.");
    public static readonly EtlError GenericInsecureRequired = new(nameof(GenericInsecureRequired), EtlErrorKind.InvalidData,
        "A generic event source has insecure: false, which gRPC refuses without TLS settings.",
        "Set insecure: true.");
    public static readonly EtlError WebhookRouteConflict = new(nameof(WebhookRouteConflict), EtlErrorKind.Conflict,
        "Two webhook events use the same port and endpoint.",
        "Give each webhook event its own endpoint or port.");
    public static readonly EtlError WebhookPortInUse = new(nameof(WebhookPortInUse), EtlErrorKind.Conflict,
        "A webhook event source's port is in use on this machine.",
        "Stop what listens there, or give the EventSource another port (a profile patch can).");
    public static readonly EtlError SensorParameterUnresolved = new(nameof(SensorParameterUnresolved), EtlErrorKind.InvalidData,
        "A Sensor trigger parameter has no value from its event and no default (Argo Events: unable to resolve parameter).",
        "Fix the parameter's dataKey/dataTemplate against the event's shape, or give it a value.");
    public static readonly EtlError HttpTriggerFailed = new(nameof(HttpTriggerFailed), EtlErrorKind.Connection,
        "A Sensor's HTTP trigger could not reach its URL.",
        "Check that the trigger's url answers.");
    public static readonly EtlError LocalRunFailed = new(nameof(LocalRunFailed), EtlErrorKind.Internal,
        "A Workflow could not run on the local target.",
        "See the message; report it if it names no manifest mistake.");
    public static readonly EtlError LocalNotAWorkflow = new(nameof(LocalNotAWorkflow), EtlErrorKind.InvalidArgument,
        "The object to run is not a Workflow.",
        "Run a Workflow (a WorkflowTemplate runs through spec.workflowTemplateRef).");
    public static readonly EtlError LocalWorkflowUnnamed = new(nameof(LocalWorkflowUnnamed), EtlErrorKind.InvalidArgument,
        "A Workflow has neither metadata.name nor generateName.",
        "Give it one.");
    public static readonly EtlError LocalNoEntrypoint = new(nameof(LocalNoEntrypoint), EtlErrorKind.InvalidArgument,
        "A Workflow has no spec.entrypoint.",
        "Set spec.entrypoint to the template to start with.");
    public static readonly EtlError LocalTemplateNotFound = new(nameof(LocalTemplateNotFound), EtlErrorKind.NotFound,
        "A Workflow names a template it does not define.",
        "Name one of spec.templates (or of the referenced WorkflowTemplate).");
    public static readonly EtlError LocalWorkflowTemplateNotFound = new(nameof(LocalWorkflowTemplateNotFound), EtlErrorKind.NotFound,
        "A referenced WorkflowTemplate is not among the project's manifests.",
        "Add its manifest to the project, or fix the name.");
    public static readonly EtlError LocalTaskNotFound = new(nameof(LocalTaskNotFound), EtlErrorKind.InvalidArgument,
        "A DAG task depends on a task that does not exist.",
        "Name a task of the same DAG.");
    public static readonly EtlError LocalStepUnnamed = new(nameof(LocalStepUnnamed), EtlErrorKind.InvalidArgument,
        "A step, task or template has no name.",
        "Give it a name.");
    public static readonly EtlError LocalParameterUnnamed = new(nameof(LocalParameterUnnamed), EtlErrorKind.InvalidArgument,
        "A workflow parameter has no name.",
        "Give it a name.");
    public static readonly EtlError LocalParameterNoValue = new(nameof(LocalParameterNoValue), EtlErrorKind.InvalidArgument,
        "A workflow parameter has no value.",
        "Give it one (a Sensor trigger sets it through its parameters' dest).");
    public static readonly EtlError LocalInputMissing = new(nameof(LocalInputMissing), EtlErrorKind.InvalidArgument,
        "A template's input parameter was not supplied and has no default.",
        "Pass it in the step's or task's arguments, or give it a default.");
    public static readonly EtlError LocalInputNotInEnum = new(nameof(LocalInputNotInEnum), EtlErrorKind.InvalidArgument,
        "An input parameter's value is not in its enum.",
        "Pass one of the allowed values.");
    public static readonly EtlError LocalUnresolvedVariable = new(nameof(LocalUnresolvedVariable), EtlErrorKind.InvalidArgument,
        "A {{...}} variable has no value where it is used.",
        "Use a variable that exists at that point (the message suggests one).");
    public static readonly EtlError LocalBadDepends = new(nameof(LocalBadDepends), EtlErrorKind.InvalidArgument,
        "A DAG task's depends expression cannot be read.",
        "Write it like \"a && (b.Failed || c.Skipped)\".");
    public static readonly EtlError LocalBadDuration = new(nameof(LocalBadDuration), EtlErrorKind.InvalidArgument,
        "A duration (suspend, deadline, retry backoff) cannot be read.",
        "Write e.g. 30s or 2m.");
    public static readonly EtlError LocalBadWhen = new(nameof(LocalBadWhen), EtlErrorKind.InvalidArgument,
        "A step's when expression cannot be evaluated.",
        "Write it as Argo does, e.g. \"{{steps.a.outputs.result}} == yes\".");
    public static readonly EtlError LocalBadWithParam = new(nameof(LocalBadWithParam), EtlErrorKind.InvalidData,
        "withParam is not a JSON list.",
        "Make the parameter a JSON list, e.g. [\"a\",\"b\"].");
    public static readonly EtlError LocalNoImage = new(nameof(LocalNoImage), EtlErrorKind.InvalidArgument,
        "A container or script template has no image.",
        "Set the image.");
    public static readonly EtlError LocalNoCommand = new(nameof(LocalNoCommand), EtlErrorKind.InvalidArgument,
        "A step's image has no command to run on the host.",
        "Give the container a command, or the image table an entrypoint.");
    public static readonly EtlError LocalVolumeNotFound = new(nameof(LocalVolumeNotFound), EtlErrorKind.InvalidArgument,
        "A volume mount names no declared volume.",
        "Declare it under spec.volumes (emptyDir).");
    public static readonly EtlError LocalOutputMissing = new(nameof(LocalOutputMissing), EtlErrorKind.NotFound,
        "A step's output parameter or artifact has no value or file.",
        "Make the step write the file, or fix valueFrom.");
    public static readonly EtlError LocalArtifactNotFound = new(nameof(LocalArtifactNotFound), EtlErrorKind.NotFound,
        "An input artifact refers to no artifact this run stored.",
        "Refer to an output artifact of an earlier step.");
    public static readonly EtlError LocalArtifactFolderNotArchived = new(nameof(LocalArtifactFolderNotArchived), EtlErrorKind.InvalidArgument,
        "An output artifact is a folder with archive: none.",
        "Archive folders (remove archive.none), or point the artifact at a file.");
    public static readonly EtlError LocalNoArtifactRepository = new(nameof(LocalNoArtifactRepository), EtlErrorKind.InvalidArgument,
        "An s3 artifact has no endpoint and no artifact repository is configured.",
        "Run with the local object store, or give the artifact's s3 endpoint.");
    public static readonly EtlError LocalNoValueResolver = new(nameof(LocalNoValueResolver), EtlErrorKind.InvalidArgument,
        "A step reads a Secret or ConfigMap and none are available to this run.",
        "Run it through the local target (Invoke-EtlPipeline or Start-EtlDev).");
    public static readonly EtlError LocalReferenceNotFound = new(nameof(LocalReferenceNotFound), EtlErrorKind.NotFound,
        "A step's envFrom or volume names a Secret or ConfigMap nobody provides.",
        "Add it to the project's manifests, or mark the reference optional.");
    public static readonly EtlError LocalImageNotMapped = new(nameof(LocalImageNotMapped), EtlErrorKind.NotFound,
        "A step's image has no host command and cannot run in a container here.",
        "Build the image's project so it runs as a host process, or run the step in a container.");
    public static readonly EtlError LocalImageUnavailable = new(nameof(LocalImageUnavailable), EtlErrorKind.NotFound,
        "buildah cannot use a step's image.",
        "Build the image with the project, or pull it into the local storage.");
    public static readonly EtlError LocalContainerToolMissing = new(nameof(LocalContainerToolMissing), EtlErrorKind.NotInstalled,
        "No container tool is installed to run a step's image.",
        "Install buildah, docker or podman, or map the image to a host command.");
    public static readonly EtlError LocalStepStartFailed = new(nameof(LocalStepStartFailed), EtlErrorKind.NotInstalled,
        "A step's host command cannot be started.",
        "Check the image's host command and that it exists on PATH.");
    public static readonly EtlError LocalStepFileUnmounted = new(nameof(LocalStepFileUnmounted), EtlErrorKind.Internal,
        "A step's file has no mount (a bug).",
        "Report it with the Workflow.");
    public static readonly EtlError LocalStoreInvalidBucketName = new(nameof(LocalStoreInvalidBucketName), EtlErrorKind.InvalidArgument,
        "A bucket name is not valid for the embedded store.",
        "Use an S3 bucket name: 3-63 lower-case letters, digits, '.' and '-'.");

    private static readonly Lazy<IReadOnlyDictionary<string, EtlError>> ByCode = new(() =>
        typeof(EtlErrors).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(EtlError))
            .Select(f => (EtlError)f.GetValue(null)!)
            .ToDictionary(e => e.Code, StringComparer.Ordinal));

    /// <summary>Every entry, ordered by code.</summary>
    public static IReadOnlyList<EtlError> All => [.. ByCode.Value.Values.OrderBy(e => e.Code, StringComparer.Ordinal)];

    /// <summary>The entry for <paramref name="code"/>, or null when the list has none.</summary>
    public static EtlError? Find(string code) => ByCode.Value.GetValueOrDefault(code);
}
