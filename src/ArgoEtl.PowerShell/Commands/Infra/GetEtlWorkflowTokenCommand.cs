using System.Management.Automation;
using System.Security;
using ArgoEtl.Core.Infra;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Infra;

/// <summary>
/// <para type="synopsis">Gets the 'Bearer ...' token that logs in to the Argo Workflows UI.</para>
/// <para type="description">Reads the service-account token Secret Install-EtlInfra created for the Argo Workflows server. Returns a SecureString,
/// so the token does not land in the console or transcripts; -AsPlainText returns a string, e.g. to put on the clipboard.</para>
/// </summary>
/// <example>
/// <code>Get-EtlWorkflowToken -AsPlainText | Set-Clipboard</code>
/// <para>Copies the token for the UI's login box.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "EtlWorkflowToken")]
[OutputType(typeof(SecureString), typeof(string))]
public sealed class GetEtlWorkflowTokenCommand : KubeCmdlet
{
    /// <summary>
    /// <para type="description">Return the token as plain text instead of a SecureString.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            using var client = Connect();
            string token = Run(ct => new InfraService(client, new InfraOptions()).WorkflowTokenAsync(ct));
            if (AsPlainText)
            {
                WriteObject(token);
                return;
            }

            var secure = new SecureString();
            foreach (char c in token)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            WriteObject(secure);
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }
}
