using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using ArgoEtl.Core;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.PowerShell.Commands.Projects;

/// <summary>
/// Start-EtlDev's -Before, -After and -Cleanup scriptblocks around skaffold.yaml's host hooks. Each block gets the
/// <see cref="DevSession"/> (as its first argument and as $_). -Before runs ahead of each render, and what it outputs
/// becomes template values: a hashtable's keys as given, any other object's scalar properties by
/// <see cref="DevSession.ValueName"/> (an EtlS3Notification gives TOPIC_ARN, BUCKET, REGION, ACCOUNT_ID, ...); then the
/// host before hooks run. -After runs after the host after hooks (its output becomes template values the same way; a
/// value it changes makes the loop render and deploy once more); -Cleanup after the host cleanup hooks, once.
/// Blocks run on the pipeline thread (a runspace runs one pipeline at a time) through <see cref="PipelineThreadWork"/>.
/// After Ctrl+C that pipeline no longer runs scripts, so -Cleanup then runs in a runspace of its own with ArgoEtl
/// imported and the caller's variables that the block names copied in as they were when the last block ran.
/// </summary>
internal sealed class ScriptBlockHookRunner(IHookRunner host, ScriptBlock? before, ScriptBlock? after, ScriptBlock? cleanup, Func<bool> stopping, Func<string, object?> readVariable)
    : IHookRunner
{
    private static readonly HashSet<string> Automatic = new(StringComparer.OrdinalIgnoreCase)
    {
        "_", "PSItem", "args", "input", "this", "true", "false", "null", "PSScriptRoot", "PSCommandPath", "MyInvocation", "PSBoundParameters", "ExecutionContext", "Host", "PID", "HOME",
    };

    private Dictionary<string, object?> _variables = [];

    /// <summary>Reads, on the pipeline thread, the caller's variables the -Cleanup block names (so a cleanup after Ctrl+C sees them).</summary>
    public void Snapshot()
    {
        if (cleanup is null)
        {
            return;
        }

        var names = cleanup.Ast.FindAll(a => a is VariableExpressionAst, true).Cast<VariableExpressionAst>()
            .Where(v => !v.VariablePath.IsDriveQualified).Select(v => v.VariablePath.UserPath)
            .Where(n => !Automatic.Contains(n) && !ParameterNames(cleanup).Contains(n)).Distinct(StringComparer.OrdinalIgnoreCase);
        _variables = names.ToDictionary(n => n, readVariable, StringComparer.OrdinalIgnoreCase);
    }

    public Task RunAsync(HookPhase phase, EtlProfile profile, IProgress<DevEvent> progress, CancellationToken cancellationToken) =>
        host.RunAsync(phase, profile, progress, cancellationToken);

    public async Task RunAsync(HookPhase phase, DevSession session, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(progress);
        switch (phase)
        {
            case HookPhase.BeforeRender when before is not null:
                var output = await OnPipelineThreadAsync("-Before", before, session, progress, cancellationToken).ConfigureAwait(false);
                foreach (var (name, value) in TemplateValuesOf(output))
                {
                    session.SetValue(name, value);
                    progress.Report(new DevEvent("hook", $"-Before: template value {name}"));
                }

                break;
            case HookPhase.After:
                await host.RunAsync(phase, session, progress, cancellationToken).ConfigureAwait(false);
                if (after is not null)
                {
                    // What -After outputs becomes template values too (a webhook url once an Ingress has an address); the loop deploys again when they changed.
                    foreach (var (name, value) in TemplateValuesOf(await OnPipelineThreadAsync("-After", after, session, progress, cancellationToken).ConfigureAwait(false)))
                    {
                        session.SetValue(name, value);
                    }
                }

                break;
            case HookPhase.Cleanup:
                await host.RunAsync(phase, session, progress, cancellationToken).ConfigureAwait(false);
                if (cleanup is not null)
                {
                    try
                    {
                        if (stopping())
                        {
                            RunDetached(cleanup, session, progress);
                        }
                        else
                        {
                            await OnPipelineThreadAsync("-Cleanup", cleanup, session, progress, CancellationToken.None).ConfigureAwait(false);
                        }
                    }
                    catch (EtlException ex)
                    {
                        progress.Report(new DevEvent("error", ex.Message, ex));
                    }
                }

                break;
            default:
                await host.RunAsync(phase, session, progress, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The template values in what a -Before block output.</summary>
    internal static IEnumerable<(string Name, string Value)> TemplateValuesOf(IEnumerable<PSObject> output)
    {
        foreach (var item in output.Where(o => o is not null))
        {
            switch (item.BaseObject)
            {
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        if (Scalar(entry.Value) is { } text)
                        {
                            yield return (entry.Key.ToString()!, text);
                        }
                    }

                    break;
                case string or ValueType:
                    break; // a bare value has no name to go by
                default:
                    foreach (var property in item.Properties.Where(p => p.IsGettable && p.MemberType is PSMemberTypes.Property or PSMemberTypes.NoteProperty))
                    {
                        object? value;
                        try
                        {
                            value = property.Value;
                        }
                        catch (GetValueException)
                        {
                            continue;
                        }

                        if (Scalar(value) is { } text)
                        {
                            yield return (DevSession.ValueName(property.Name), text);
                        }
                    }

                    break;
            }
        }
    }

    private static string? Scalar(object? value) => (value is PSObject ps ? ps.BaseObject : value) switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        Uri u => u.ToString(),
        IFormattable f and (ValueType) => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    private static HashSet<string> ParameterNames(ScriptBlock block) =>
        new((block.Ast as ScriptBlockAst)?.ParamBlock?.Parameters.Select(p => p.Name.VariablePath.UserPath) ?? [], StringComparer.OrdinalIgnoreCase);

    private async Task<IReadOnlyList<PSObject>> OnPipelineThreadAsync(string what, ScriptBlock block, DevSession session, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        progress.Report(new DevEvent("hook", $"{what} scriptblock"));
        var work = new PipelineThreadWork(() =>
        {
            try
            {
                var result = block.InvokeWithContext(null, [new PSVariable("_", session)], session);
                Snapshot();
                return result;
            }
            catch (RuntimeException ex) when (ex is not PipelineStoppedException)
            {
                throw new EtlException(EtlErrors.DevHookFailed, EtlErrorKind.InvalidData, $"The {what} scriptblock failed: {ex.Message}",
                    $"Fix the {what} block; the next change runs it again.", what, ex);
            }
        });
        progress.Report(new DevEvent("hook", what, work));
        return await work.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void RunDetached(ScriptBlock block, DevSession session, IProgress<DevEvent> progress)
    {
        progress.Report(new DevEvent("hook", "-Cleanup scriptblock (in a runspace of its own: the session was stopped)"));
        var state = InitialSessionState.CreateDefault2();
        if (ModuleManifest() is { } manifest)
        {
            state.ImportPSModule([manifest]);
        }

        foreach (var (name, value) in _variables)
        {
            state.Variables.Add(new SessionStateVariableEntry(name, value, string.Empty));
        }

        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var shell = System.Management.Automation.PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(block.ToString()).AddArgument(session);
        try
        {
            foreach (var line in shell.Invoke())
            {
                progress.Report(new DevEvent("hook", $"-Cleanup: {line}"));
            }
        }
        catch (RuntimeException ex)
        {
            throw new EtlException(EtlErrors.DevHookFailed, EtlErrorKind.InvalidData, $"The -Cleanup scriptblock failed: {ex.Message}", "Undo what it did not by hand.", "-Cleanup", ex);
        }

        foreach (var error in shell.Streams.Error)
        {
            progress.Report(new DevEvent("error", $"-Cleanup: {error}", new EtlException(EtlErrors.DevHookFailed, EtlErrorKind.InvalidData, $"The -Cleanup scriptblock wrote an error: {error}", "Undo what it did not by hand.", "-Cleanup")));
        }
    }

    // The staged module's manifest: the cmdlet assembly lives in its bin/ folder.
    private static string? ModuleManifest()
    {
        string? dir = Path.GetDirectoryName(typeof(ScriptBlockHookRunner).Assembly.Location);
        for (int i = 0; i < 2 && dir is not null; i++, dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, "ArgoEtl.psd1");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
