using System.Globalization;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Workflows;

/// <summary>Whose templates a name resolves in: the Workflow's own, or a WorkflowTemplate's (templateRef, workflowTemplateRef), with the file:line of each.</summary>
internal sealed record TemplateOwner(string Label, JsonArray Templates, string TemplatesPointer, Func<string, string> Where)
{
    public TemplateHandle? Find(string name)
    {
        for (int i = 0; i < Templates.Count; i++)
        {
            if (Templates[i] is JsonObject t && (string?)t["name"] == name)
            {
                return new TemplateHandle(t, this, TemplatesPointer + "/" + i.ToString(CultureInfo.InvariantCulture));
            }
        }

        return null;
    }
}

/// <summary>One template and where it was written.</summary>
internal sealed record TemplateHandle(JsonObject Template, TemplateOwner Owner, string Pointer)
{
    public string Name => (string?)Template["name"] ?? string.Empty;

    public string Where(string relative = "") => Owner.Where(Pointer + relative);

    public string Kind => Template.ContainsKey("container") ? "container"
        : Template.ContainsKey("script") ? "script"
        : Template.ContainsKey("steps") ? "steps"
        : Template.ContainsKey("dag") ? "dag"
        : Template.ContainsKey("suspend") ? "suspend"
        : string.Empty;
}
