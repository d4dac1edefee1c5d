using ArgoEtl.Core.Changes;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Infra;

/// <summary>
/// One state-changing step of an install or uninstall outside server-side apply (an IAM call, a bucket, a helm
/// release): what -WhatIf shows, the call, and how to undo it when a later step of the same run fails.
/// </summary>
/// <param name="Apply">Makes the change and returns what happened ("created", "unchanged" ...), the result's Action.</param>
public sealed record InfraStep(string Component, string Kind, string Name, string Action, Func<CancellationToken, Task<string>> Apply, Func<CancellationToken, Task>? Undo = null)
{
    /// <summary>The key in the rethrown error's Data under which the undos that failed are listed (kind name: why).</summary>
    public const string UndoFailuresKey = "ArgoEtl.UndoFailures";

    /// <summary>What -WhatIf and -Confirm show.</summary>
    public PlannedChange Change => new($"{Kind} {Name}", Action);

    /// <summary>The result object written for a step that ran.</summary>
    public AppliedObject Result(string action) => new() { Kind = Kind, Name = Name, Action = action, Component = Component };

    /// <summary>
    /// Runs the steps in order. When one fails, the steps this run already made are undone in reverse order (what
    /// existed before the run was never a step, so it is never touched), and the failure is rethrown.
    /// </summary>
    public static async Task<IReadOnlyList<AppliedObject>> RunAsync(IReadOnlyList<InfraStep> steps, IProgress<AppliedObject>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var done = new List<InfraStep>();
        var results = new List<AppliedObject>();
        try
        {
            foreach (var step in steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string outcome = await step.Apply(cancellationToken).ConfigureAwait(false);
                done.Add(step);
                var result = step.Result(outcome);
                results.Add(result);
                progress?.Report(result);
            }
        }
        catch (Exception original)
        {
            // Undo even when canceled: a half-made IAM setup is worse than none. Each undo is tried on its own, so one
            // that fails neither skips the rest nor hides why the run failed.
            var undoFailures = new List<string>();
            for (int i = done.Count - 1; i >= 0; i--)
            {
                if (done[i].Undo is { } undo)
                {
                    string? failure = await TryUndoAsync(undo).ConfigureAwait(false);
                    if (failure is not null)
                    {
                        undoFailures.Add($"{done[i].Kind} {done[i].Name}: {failure}");
                        progress?.Report(done[i].Result($"undo failed, remove it by hand: {failure}"));
                    }
                }
            }

            if (undoFailures.Count > 0)
            {
                original.Data[UndoFailuresKey] = string.Join("; ", undoFailures);
            }

            throw;
        }

        return results;
    }

    /// <summary>Runs one undo; null when it worked, else why it did not.</summary>
    private static async Task<string?> TryUndoAsync(Func<CancellationToken, Task> undo)
    {
        try
        {
            await undo(CancellationToken.None).ConfigureAwait(false);
            return null;
        }
#pragma warning disable CA1031 // Any failure of one undo is reported and the next undo still runs; the run's own error is rethrown.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ex is EtlException etl ? $"{etl.Code}: {etl.Message}" : ex.Message;
        }
    }
}
