using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ArgoEtl.PowerShell.Infrastructure;

/// <summary>
/// A group of parameters declared once and offered by every cmdlet that needs it, whatever its base class (a C# class
/// has one base, and Publish-EtlImage needs the profile, AWS and kube groups at once). The bundle's [Parameter]
/// properties become the cmdlet's dynamic parameters with the same attributes — name, type, aliases, validation,
/// pipeline binding — so one concept has one name and one type on every cmdlet. Help comes from the bundle's XML docs.
/// </summary>
public abstract class ParameterBundle
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
    private RuntimeDefinedParameterDictionary? _bound;

    /// <summary>The bundle's parameters, declared for PowerShell, and bound back to this bundle.</summary>
    internal IEnumerable<RuntimeDefinedParameter> Declare(RuntimeDefinedParameterDictionary into)
    {
        _bound = into;
        foreach (var property in GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<ParameterAttribute>() is null)
            {
                continue;
            }

            // Every attribute PowerShell itself defines (Parameter, Alias, Validate*, Credential, ArgumentCompleter).
            var attributes = new Collection<Attribute>([.. property.GetCustomAttributes(inherit: true).OfType<Attribute>()
                .Where(a => a.GetType().Assembly == typeof(PSCmdlet).Assembly)]);
            yield return new RuntimeDefinedParameter(property.Name, property.PropertyType, attributes);
        }
    }

    /// <summary>The value PowerShell bound to the parameter, else the one set in code, else null.</summary>
    protected T? Get<T>([CallerMemberName] string name = "")
    {
        if (_bound is not null && _bound.TryGetValue(name, out var parameter) && parameter.IsSet)
        {
            return parameter.Value is PSObject wrapped && wrapped.BaseObject is T inner ? inner : (T?)parameter.Value;
        }

        return _values.TryGetValue(name, out var value) ? (T?)value : default;
    }

    protected void Set<T>(T? value, [CallerMemberName] string name = "") => _values[name] = value;
}
