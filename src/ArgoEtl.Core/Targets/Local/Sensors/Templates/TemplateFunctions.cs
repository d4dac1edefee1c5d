using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ArgoEtl.Core.Targets.Local.Sensors.Templates;

/// <summary>
/// Go text/template's builtins (and, or, not, eq, ne, lt, le, gt, ge, len, index, print, printf, println, urlquery)
/// and the sprig v3 functions Sensors commonly use, with sprig's argument order and types: a string parameter rejects a
/// number as Go's reflection does ("wrong type for value; expected string; got float64"), an int parameter takes only
/// integers. Strings are indexed by UTF-16 unit where Go indexes bytes (the same for ASCII).
/// </summary>
public static class TemplateFunctions
{
    private sealed record Function(int Min, int Max, Func<IReadOnlyList<object?>, object?> Call);

    private static readonly Dictionary<string, Function> Functions = new(StringComparer.Ordinal)
    {
        // Go builtins ("and"/"or" short-circuit in GoTemplate; listed so they parse).
        ["and"] = new(1, -1, a => a[^1]),
        ["or"] = new(1, -1, a => a[^1]),
        ["not"] = new(1, 1, a => !GoValue.IsTrue(a[0])),
        ["eq"] = new(2, -1, a => a.Skip(1).Any(b => Compare(a[0], b, "eq") == 0)),
        ["ne"] = new(2, 2, a => Compare(a[0], a[1], "ne") != 0),
        ["lt"] = new(2, 2, a => Order(a[0], a[1]) < 0),
        ["le"] = new(2, 2, a => Order(a[0], a[1]) <= 0),
        ["gt"] = new(2, 2, a => Order(a[0], a[1]) > 0),
        ["ge"] = new(2, 2, a => Order(a[0], a[1]) >= 0),
        ["len"] = new(1, 1, a => Length(a[0])),
        ["index"] = new(1, -1, a => Index(a[0], a.Skip(1))),
        ["print"] = new(0, -1, a => Sprint(a)),
        ["println"] = new(0, -1, a => string.Join(' ', a.Select(GoValue.Print)) + "\n"),
        ["printf"] = new(1, -1, a => GoPrintf.Format(Str(a[0]), a.Skip(1).ToList())),
        ["urlquery"] = new(0, -1, a => Uri.EscapeDataString(Sprint(a)).Replace("%20", "+", StringComparison.Ordinal)),
        // sprig: strings.
        ["upper"] = new(1, 1, a => Str(a[0]).ToUpperInvariant()),
        ["lower"] = new(1, 1, a => Str(a[0]).ToLowerInvariant()),
        ["title"] = new(1, 1, a => Title(Str(a[0]))),
        ["trim"] = new(1, 1, a => Str(a[0]).Trim()),
        ["trimAll"] = new(2, 2, a => Str(a[1]).Trim(Str(a[0]).ToCharArray())),
        ["trimPrefix"] = new(2, 2, a => Str(a[1]).StartsWith(Str(a[0]), StringComparison.Ordinal) ? Str(a[1])[Str(a[0]).Length..] : Str(a[1])),
        ["trimSuffix"] = new(2, 2, a => Str(a[1]).EndsWith(Str(a[0]), StringComparison.Ordinal) ? Str(a[1])[..^Str(a[0]).Length] : Str(a[1])),
        ["replace"] = new(3, 3, a => Str(a[0]).Length == 0 ? Str(a[2]) : Str(a[2]).Replace(Str(a[0]), Str(a[1]), StringComparison.Ordinal)),
        ["repeat"] = new(2, 2, a => string.Concat(Enumerable.Repeat(Str(a[1]), (int)Int(a[0])))),
        ["substr"] = new(3, 3, a => Substring((int)Int(a[0]), (int)Int(a[1]), Str(a[2]))),
        ["trunc"] = new(2, 2, a => Truncate((int)Int(a[0]), Str(a[1]))),
        ["nospace"] = new(1, 1, a => string.Concat(Str(a[0]).Where(c => !char.IsWhiteSpace(c)))),
        ["contains"] = new(2, 2, a => Str(a[1]).Contains(Str(a[0]), StringComparison.Ordinal)),
        ["hasPrefix"] = new(2, 2, a => Str(a[1]).StartsWith(Str(a[0]), StringComparison.Ordinal)),
        ["hasSuffix"] = new(2, 2, a => Str(a[1]).EndsWith(Str(a[0]), StringComparison.Ordinal)),
        ["quote"] = new(0, -1, a => string.Join(' ', a.Where(v => v is not null).Select(v => GoPrintf.Quote(StrVal(v))))),
        ["squote"] = new(0, -1, a => string.Join(' ', a.Where(v => v is not null).Select(v => "'" + StrVal(v) + "'"))),
        ["cat"] = new(0, -1, a => string.Join(' ', a.Where(v => v is not null).Select(StrVal))),
        ["split"] = new(2, 2, a => Str(a[1]).Split(Str(a[0])).Select((p, i) => (p, i)).ToDictionary(x => "_" + x.i.ToString(CultureInfo.InvariantCulture), x => (object?)x.p, StringComparer.Ordinal)),
        ["splitList"] = new(2, 2, a => Str(a[1]).Split(Str(a[0])).Select(p => (object?)p).ToList()),
        ["join"] = new(2, 2, a => string.Join(Str(a[0]), StrSlice(a[1]))),
        ["toString"] = new(1, 1, a => StrVal(a[0])),
        ["indent"] = new(2, 2, a => Indent((int)Int(a[0]), Str(a[1]))),
        ["nindent"] = new(2, 2, a => "\n" + Indent((int)Int(a[0]), Str(a[1]))),
        ["regexMatch"] = new(2, 2, a => Regex.IsMatch(Str(a[1]), Str(a[0]), RegexOptions.None, TimeSpan.FromSeconds(1))),
        ["regexFind"] = new(2, 2, a => Regex.Match(Str(a[1]), Str(a[0]), RegexOptions.None, TimeSpan.FromSeconds(1)).Value),
        ["regexReplaceAll"] = new(3, 3, a => Regex.Replace(Str(a[1]), Str(a[0]), GoReplacement(Str(a[2])), RegexOptions.None, TimeSpan.FromSeconds(1))),
        ["regexReplaceAllLiteral"] = new(3, 3, a => Regex.Replace(Str(a[1]), Str(a[0]), Str(a[2]).Replace("$", "$$", StringComparison.Ordinal), RegexOptions.None, TimeSpan.FromSeconds(1))),
        ["sha256sum"] = new(1, 1, a => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Str(a[0]))))),
        // sprig: encodings.
        ["b64enc"] = new(1, 1, a => Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(a[0])))),
        ["b64dec"] = new(1, 1, a => Base64Decode(Str(a[0]))),
        ["toJson"] = new(1, 1, a => GoValue.ToJson(a[0])),
        ["toRawJson"] = new(1, 1, a => GoValue.ToJson(a[0]).Replace("\\u003c", "<", StringComparison.Ordinal).Replace("\\u003e", ">", StringComparison.Ordinal).Replace("\\u0026", "&", StringComparison.Ordinal)),
        ["toPrettyJson"] = new(1, 1, a => JsonNode.Parse(GoValue.ToJson(a[0]))?.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 2 }) ?? "null"),
        ["fromJson"] = new(1, 1, a => FromJson(Str(a[0]))),
        // sprig: defaults and logic.
        ["default"] = new(1, 2, a => a.Count < 2 || IsEmpty(a[1]) ? a[0] : a[1]),
        ["empty"] = new(1, 1, a => IsEmpty(a[0])),
        ["coalesce"] = new(0, -1, a => a.FirstOrDefault(v => !IsEmpty(v))),
        ["ternary"] = new(3, 3, a => a[2] is bool b ? (b ? a[0] : a[1]) : throw WrongType("bool", a[2])),
        // sprig: collections.
        ["list"] = new(0, -1, a => a.ToList()),
        ["dict"] = new(0, -1, Dict),
        ["get"] = new(2, 2, a => a[0] is IDictionary<string, object?> m ? (m.TryGetValue(Str(a[1]), out var v) ? v : string.Empty) : throw WrongType("map[string]interface {}", a[0])),
        ["hasKey"] = new(2, 2, a => a[0] is IDictionary<string, object?> m ? m.ContainsKey(Str(a[1])) : throw WrongType("map[string]interface {}", a[0])),
        ["keys"] = new(1, -1, a => a.OfType<IDictionary<string, object?>>().SelectMany(m => m.Keys).Select(k => (object?)k).ToList()),
        ["first"] = new(1, 1, a => a[0] is IList<object?> l ? (l.Count > 0 ? l[0] : null) : null),
        ["last"] = new(1, 1, a => a[0] is IList<object?> l ? (l.Count > 0 ? l[^1] : null) : null),
        // sprig: numbers (sprig converts with cast.ToInt64; Go's int is 64-bit here).
        ["int"] = new(1, 1, a => ToInt64(a[0])),
        ["int64"] = new(1, 1, a => ToInt64(a[0])),
        ["float64"] = new(1, 1, a => ToFloat64(a[0])),
        ["atoi"] = new(1, 1, a => long.TryParse(Str(a[0]), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l) ? l : 0L),
        ["add"] = new(0, -1, a => a.Aggregate(0L, (s, v) => s + ToInt64(v))),
        ["add1"] = new(1, 1, a => ToInt64(a[0]) + 1),
        ["sub"] = new(2, 2, a => ToInt64(a[0]) - ToInt64(a[1])),
        ["mul"] = new(1, -1, a => a.Skip(1).Aggregate(ToInt64(a[0]), (s, v) => s * ToInt64(v))),
        ["div"] = new(2, 2, a => ToInt64(a[1]) == 0 ? throw new GoTemplateException("runtime error: integer divide by zero") : ToInt64(a[0]) / ToInt64(a[1])),
        ["mod"] = new(2, 2, a => ToInt64(a[1]) == 0 ? throw new GoTemplateException("runtime error: integer divide by zero") : ToInt64(a[0]) % ToInt64(a[1])),
        ["max"] = new(1, -1, a => a.Max(ToInt64)),
        ["min"] = new(1, -1, a => a.Min(ToInt64)),
    };

    // Every function sprig v3 and text/template define, so a template calling one not implemented here is reported as
    // unsupported instead of failing as an unknown function would (which argo-events treats as "fall back").
    private static readonly HashSet<string> AllUpstreamNames = new(StringComparer.Ordinal)
    {
        "html", "js", "slice", "call", "hello", "ago", "date", "date_in_zone", "date_modify", "dateInZone", "dateModify", "duration", "durationRound", "htmlDate", "htmlDateInZone",
        "must_date_modify", "mustDateModify", "mustToDate", "now", "toDate", "unixEpoch", "abbrev", "abbrevboth", "camelcase", "initials", "kebabcase", "plural", "randAlpha",
        "randAlphaNum", "randAscii", "randNumeric", "shuffle", "snakecase", "swapcase", "untitle", "wrap", "wrapWith", "splitn", "toStrings", "toDecimal", "seq", "until", "untilStep",
        "biggest", "ceil", "floor", "round", "addf", "add1f", "subf", "divf", "mulf", "maxf", "minf", "fromYaml", "toYaml", "mustToJson", "mustToPrettyJson", "mustToRawJson",
        "mustFromJson", "b32enc", "b32dec", "tuple", "set", "unset", "pluck", "pick", "omit", "merge", "mergeOverwrite", "mustMerge", "mustMergeOverwrite", "values", "append", "push",
        "mustAppend", "mustPush", "prepend", "mustPrepend", "mustFirst", "rest", "mustRest", "mustLast", "initial", "mustInitial", "reverse", "mustReverse", "uniq", "mustUniq",
        "without", "mustWithout", "has", "mustHas", "compact", "mustCompact", "sortAlpha", "concat", "dig", "chunk", "mustChunk", "deepCopy", "mustDeepCopy", "all", "any",
        "fail", "env", "expandenv", "getHostByName", "base", "dir", "clean", "ext", "isAbs", "osBase", "osClean", "osDir", "osExt", "osIsAbs", "regexFindAll", "regexSplit",
        "regexQuoteMeta", "mustRegexMatch", "mustRegexFindAll", "mustRegexFind", "mustRegexReplaceAll", "mustRegexReplaceAllLiteral", "mustRegexSplit", "sha1sum", "sha512sum",
        "adler32sum", "bcrypt", "htpasswd", "genPrivateKey", "derivePassword", "buildCustomCert", "genCA", "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey",
        "genSignedCert", "genSignedCertWithKey", "encryptAES", "decryptAES", "randBytes", "uuidv4", "semver", "semverCompare", "fromJsonArray", "typeOf", "typeIs", "typeIsLike",
        "kindOf", "kindIs", "deepEqual", "urlParse", "urlJoin", "toStrings", "float", "int32", "atof",
    };

    /// <summary>The function names a template may call.</summary>
    public static IReadOnlyCollection<string> Names => Functions.Keys;

    internal static bool Exists(string name) => Functions.ContainsKey(name);

    internal static bool IsSprigName(string name) => AllUpstreamNames.Contains(name);

    internal static object? Call(string name, IReadOnlyList<object?> args)
    {
        var function = Functions[name];
        if (args.Count < function.Min || (function.Max >= 0 && args.Count > function.Max))
        {
            string want = function.Max < 0 ? $"at least {function.Min}" : function.Min == function.Max ? function.Min.ToString(CultureInfo.InvariantCulture) : $"{function.Min} to {function.Max}";
            throw new GoTemplateException($"wrong number of args for {name}: want {want} got {args.Count}");
        }

        try
        {
            return function.Call(args);
        }
        catch (GoTemplateException ex)
        {
            throw new GoTemplateException($"error calling {name}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or RegexMatchTimeoutException or OverflowException or JsonException or InvalidOperationException)
        {
            throw new GoTemplateException($"error calling {name}: {ex.Message}", ex);
        }
    }

    /// <summary>Go's type name of a value, for messages ("float64", "string", "map[string]interface {}").</summary>
    internal static string GoTypeName(object? value) => value switch
    {
        null => "nil",
        string => "string",
        bool => "bool",
        double => "float64",
        long or int => "int",
        IDictionary<string, object?> => "map[string]interface {}",
        IList<object?> => "[]interface {}",
        _ => value.GetType().Name,
    };

    private static GoTemplateException WrongType(string expected, object? value) =>
        new($"wrong type for value; expected {expected}; got {GoTypeName(value)}");

    /// <summary>A string parameter: nil becomes "", anything else that is not a string is Go's type error.</summary>
    private static string Str(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        _ => throw WrongType("string", value),
    };

    /// <summary>An int parameter: integers only, as Go's reflection converts (a JSON number is a float64).</summary>
    private static long Int(object? value) => value switch
    {
        null => 0,
        long l => l,
        int i => i,
        _ => throw WrongType("int", value),
    };

    /// <summary>sprig's strval: fmt's %v, strings as they are.</summary>
    private static string StrVal(object? value) => value is string s ? s : GoValue.Print(value);

    private static string Sprint(IReadOnlyList<object?> args)
    {
        // fmt.Sprint adds spaces between operands when neither is a string.
        var sb = new StringBuilder();
        for (int i = 0; i < args.Count; i++)
        {
            if (i > 0 && args[i] is not string && args[i - 1] is not string)
            {
                sb.Append(' ');
            }

            sb.Append(GoValue.Print(args[i]));
        }

        return sb.ToString();
    }

    private static List<string> StrSlice(object? value) => value switch
    {
        null => [],
        IList<object?> list => list.Where(v => v is not null).Select(StrVal).ToList(),
        _ => [StrVal(value)],
    };

    private static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        bool b => !b,
        double d => d == 0,
        long l => l == 0,
        int i => i == 0,
        IDictionary<string, object?> m => m.Count == 0,
        IList<object?> l => l.Count == 0,
        _ => false,
    };

    private static long ToInt64(object? value) => value switch
    {
        null => 0,
        long l => l,
        int i => i,
        double d => (long)d,
        bool b => b ? 1 : 0,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l) => l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => (long)d,
        _ => 0,
    };

    private static double ToFloat64(object? value) => value switch
    {
        null => 0,
        long l => l,
        int i => i,
        double d => d,
        bool b => b ? 1 : 0,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
        _ => 0,
    };

    private static object? FromJson(string text)
    {
        try
        {
            return GoValue.FromJson(JsonNode.Parse(text));
        }
        catch (JsonException)
        {
            // sprig's fromJson returns an empty map when the text is not JSON.
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }
    }

    private static Dictionary<string, object?> Dict(IReadOnlyList<object?> args)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i += 2)
        {
            map[StrVal(args[i])] = i + 1 < args.Count ? args[i + 1] : string.Empty;
        }

        return map;
    }

    private static string Base64Decode(string text)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            // sprig returns the decoder's error text instead of failing.
            return "illegal base64 data at input byte 0";
        }
    }

    private static string Title(string s)
    {
        var chars = s.ToCharArray();
        bool start = true;
        for (int i = 0; i < chars.Length; i++)
        {
            if (char.IsLetter(chars[i]) || char.IsDigit(chars[i]) || chars[i] == '_' || chars[i] == '\'')
            {
                if (start)
                {
                    chars[i] = char.ToUpperInvariant(chars[i]);
                }

                start = false;
            }
            else
            {
                start = true;
            }
        }

        return new string(chars);
    }

    private static string Substring(int start, int end, string s)
    {
        if (start < 0)
        {
            return s[..Math.Min(end, s.Length)];
        }

        if (end < 0 || end > s.Length)
        {
            return start <= s.Length ? s[start..] : throw new GoTemplateException("slice bounds out of range");
        }

        return start <= end ? s[start..end] : throw new GoTemplateException("slice bounds out of range");
    }

    private static string Truncate(int count, string s)
    {
        if (count >= 0 && s.Length > count)
        {
            return s[..count];
        }

        if (count < 0 && s.Length + count > 0)
        {
            return s[(s.Length + count)..];
        }

        return s;
    }

    private static string Indent(int spaces, string s)
    {
        string pad = new(' ', spaces);
        return pad + s.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    /// <summary>Go's regexp expands $1 and ${name}; .NET does too, so only a lone '$' needs care.</summary>
    private static string GoReplacement(string replacement) => replacement;

    private static long Length(object? value) => value switch
    {
        string s => Encoding.UTF8.GetByteCount(s),
        IList<object?> l => l.Count,
        IDictionary<string, object?> m => m.Count,
        null => throw new GoTemplateException("len of nil pointer"),
        _ => throw new GoTemplateException($"len of type {GoTypeName(value)}"),
    };

    private static object? Index(object? item, IEnumerable<object?> indexes)
    {
        foreach (var index in indexes)
        {
            item = item switch
            {
                IDictionary<string, object?> m => m.TryGetValue(Str(index), out var v) ? v : null,
                IList<object?> l => index is long or int && Convert.ToInt64(index, CultureInfo.InvariantCulture) is long i && i >= 0 && i < l.Count
                    ? l[(int)i]
                    : throw new GoTemplateException(index is long or int ? $"index out of range: {GoValue.Print(index)}" : $"cannot index slice/array with type {GoTypeName(index)}"),
                string s => index is long i && i >= 0 && i < s.Length ? (long)s[(int)i] : throw new GoTemplateException($"index out of range: {GoValue.Print(index)}"),
                null => throw new GoTemplateException("index of untyped nil"),
                _ => throw new GoTemplateException($"can't index item of type {GoTypeName(item)}"),
            };
        }

        return item;
    }

    /// <summary>eq/ne: values of the same basic kind compare; an int against a float64 is Go's "incompatible types".</summary>
    private static int Compare(object? a, object? b, string name)
    {
        string ka = Kind(a), kb = Kind(b);
        if (ka != kb)
        {
            return a is null || b is null ? 1 : throw new GoTemplateException("incompatible types for comparison");
        }

        return ka switch
        {
            "map" or "slice" => throw new GoTemplateException($"non-comparable type for {name}"),
            "nil" => 0,
            "float" => Convert.ToDouble(a, CultureInfo.InvariantCulture) == Convert.ToDouble(b, CultureInfo.InvariantCulture) ? 0 : 1,
            "int" => Convert.ToInt64(a, CultureInfo.InvariantCulture) == Convert.ToInt64(b, CultureInfo.InvariantCulture) ? 0 : 1,
            _ => Equals(a, b) ? 0 : 1,
        };
    }

    private static int Order(object? a, object? b)
    {
        string ka = Kind(a), kb = Kind(b);
        if (ka != kb)
        {
            throw new GoTemplateException("incompatible types for comparison");
        }

        return ka switch
        {
            "float" => Convert.ToDouble(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, CultureInfo.InvariantCulture)),
            "int" => Convert.ToInt64(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToInt64(b, CultureInfo.InvariantCulture)),
            "string" => string.CompareOrdinal((string)a!, (string)b!),
            _ => throw new GoTemplateException("invalid type for comparison"),
        };
    }

    private static string Kind(object? value) => value switch
    {
        null => "nil",
        bool => "bool",
        string => "string",
        double => "float",
        long or int => "int",
        IDictionary<string, object?> => "map",
        IList<object?> => "slice",
        _ => "other",
    };
}
