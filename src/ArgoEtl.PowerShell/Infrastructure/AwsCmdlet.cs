using System.Management.Automation;
using ArgoEtl.Core.Aws;
using ArgoEtl.Core.Changes;
using ArgoEtl.Etl.Aws;

namespace ArgoEtl.PowerShell.Infrastructure;

/// <summary>
/// Base for cmdlets that call AWS: the connection parameters AWS Tools for PowerShell users know (-Region, -ProfileName,
/// -Credential, -EndpointUrl), and the plan → approve → apply flow that maps -WhatIf/-Confirm onto core plans.
/// </summary>
public abstract class AwsCmdlet : EtlCmdlet
{
    /// <summary>-Region, -ProfileName and -EndpointUrl.</summary>
    protected AwsParameters Aws { get; } = new();

    /// <summary>
    /// <para type="description">Credentials to use instead of the profile or chain: the access key id as user name and the secret access key as password.</para>
    /// </summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    protected override IEnumerable<ParameterBundle> Bundles => [Aws];

    /// <summary>The connection these parameters describe (the data plane takes it as it is).</summary>
    protected AwsConnection Connection() => Aws.ConnectionWith(Credential);

    /// <summary>The session (every AWS client) for these parameters.</summary>
    protected AwsSession OpenSession() => new(Connection());

    /// <summary>
    /// Shows each planned change to ShouldProcess (so -WhatIf lists them all) and says whether every one was approved.
    /// A plan is applied whole or not at all.
    /// </summary>
    protected bool Approve(IReadOnlyList<PlannedChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        bool all = true;
        foreach (var change in changes)
        {
            // No short-circuit: -WhatIf must print every step, not stop at the first.
            all &= ShouldProcess(change.Target, change.Action);
        }

        return all;
    }
}
