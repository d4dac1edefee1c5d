using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ArgoEtl.Core.Projects;

/// <summary>
/// Reads a YAML text's events once, before any node tree is built, so hostile input fails fast with the file named:
/// aliases that would expand to more than <see cref="MaxAliasNodes"/> nodes (the "billion laughs" bomb, which otherwise
/// grows to gigabytes when the tree is turned into JSON), nesting deeper than <see cref="MaxDepth"/> (the node loader
/// recurses), and syntax errors, each as file:line:column. The parser streams, so the scan itself stays small.
/// </summary>
public static partial class YamlLimits
{
    /// <summary>Deeper than any real manifest or CRD schema (Argo's are under 40), far below what would exhaust the stack.</summary>
    public const int MaxDepth = 256;

    /// <summary>Nodes that aliases may add to one document when expanded; real configs reuse a few blocks, not millions of nodes.</summary>
    public const long MaxAliasNodes = 100_000;

    private sealed class Frame(Mark start, bool flow, bool sequence, string? anchor)
    {
        public Mark Start { get; } = start;

        public bool Flow { get; } = flow;

        public bool Sequence { get; } = sequence;

        public string? Anchor { get; } = anchor;

        public long Nodes { get; set; } = 1;

        /// <summary>Direct children so far: in a mapping, even ones are keys.</summary>
        public int Children { get; set; }

        /// <summary>A mapping's keys and their lines, to refuse duplicates as Kubernetes does.</summary>
        public Dictionary<string, long>? Keys { get; } = sequence ? null : new(StringComparer.Ordinal);

        public bool AtKey => Keys is not null && Children % 2 == 0;
    }

    public static void Check(string text, string path)
    {
        var parser = new Parser(new StringReader(text));
        var open = new Stack<Frame>();
        var anchors = new Dictionary<string, long>(StringComparer.Ordinal);
        long aliasNodes = 0;
        ParsingEvent? last = null;

        void Add(long nodes)
        {
            if (open.TryPeek(out var parent))
            {
                parent.Nodes += nodes;
                parent.Children++;
            }
        }

        // Kubernetes and Skaffold read keys as strings and refuse a key given twice; so do we, naming both lines.
        void CheckKey(ParsingEvent key)
        {
            if (!open.TryPeek(out var parent) || !parent.AtKey)
            {
                return;
            }

            if (key is not Scalar scalar)
            {
                throw new EtlException(EtlErrors.YamlKeyNotScalar, $"{Where(path, key.Start)}: a mapping key must be a plain string, not a list or mapping.",
                    "Write the key as text (quote it if needed).", $"{path}:{key.Start.Line}");
            }

            if (parent.Keys!.TryGetValue(scalar.Value, out long first))
            {
                throw new EtlException(EtlErrors.YamlDuplicateKey, $"{Where(path, key.Start)}: key '{scalar.Value}' is already given on line {first} of the same mapping.",
                    "Keep one of the two (Kubernetes and Skaffold refuse duplicate keys).", $"{path}:{key.Start.Line}");
            }

            parent.Keys[scalar.Value] = key.Start.Line;
        }

        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                last = current;
                switch (current)
                {
                    case DocumentStart:
                        // Anchors are scoped to their document.
                        anchors.Clear();
                        aliasNodes = 0;
                        break;
                    case SequenceStart or MappingStart:
                        CheckKey(current);
                        var node = (NodeEvent)current;
                        if (open.Count >= MaxDepth)
                        {
                            throw new EtlException(EtlErrors.YamlTooDeep, $"{Where(path, current.Start)}: the YAML nests more than {MaxDepth} levels deep; it is not read.",
                                "Flatten the structure; no Kubernetes object or Skaffold config needs this depth.", $"{path}:{current.Start.Line}");
                        }

                        bool flow = current is SequenceStart { Style: SequenceStyle.Flow } or MappingStart { Style: MappingStyle.Flow };
                        open.Push(new Frame(current.Start, flow, current is SequenceStart, node.Anchor.IsEmpty ? null : node.Anchor.Value));
                        break;
                    case SequenceEnd or MappingEnd:
                        var done = open.Pop();
                        if (done.Anchor is { } anchor)
                        {
                            anchors[anchor] = done.Nodes;
                        }

                        Add(done.Nodes);
                        break;
                    case Scalar scalar:
                        CheckKey(current);
                        if (!scalar.Anchor.IsEmpty)
                        {
                            anchors[scalar.Anchor.Value] = 1;
                        }

                        Add(1);
                        break;
                    case AnchorAlias alias:
                        long size = anchors.GetValueOrDefault(alias.Value.Value, 1);
                        if (size > 1)
                        {
                            CheckKey(current);
                        }

                        aliasNodes += size;
                        if (aliasNodes > MaxAliasNodes)
                        {
                            throw new EtlException(EtlErrors.YamlAliasLimit, $"{Where(path, current.Start)}: the aliases in this document would expand to more than {MaxAliasNodes.ToString("N0", CultureInfo.InvariantCulture)} nodes (alias *{alias.Value.Value}); it is not read.",
                                "Write the repeated content out, or reuse fewer nested aliases; an alias bomb is refused.", $"{path}:{current.Start.Line}");
                        }

                        Add(size);
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            throw SyntaxError(path, ex, text);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner can give up on an unclosed flow collection without a position: name where it opened.
            var unclosed = open.FirstOrDefault(f => f.Flow);
            var at = unclosed?.Start ?? last?.End ?? Mark.Empty;
            string what = unclosed is null ? "the YAML cannot be read past this point" : $"'{(unclosed.Sequence ? '[' : '{')}' opened here is never closed";
            throw new EtlException(EtlErrors.YamlSyntaxError, $"{Where(path, at)}: {what}.",
                $"Close the {(unclosed?.Sequence ?? true ? "list with ']'" : "mapping with '}'")}, or write it in block style.", $"{path}:{at.Line}", ex);
        }
    }

    /// <summary>A parser error as ArgoEtl reports it: file:line:column, the parser's message, and the usual causes.</summary>
    public static EtlException SyntaxError(string path, YamlException ex, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var at = ex.Start;

        // A tab in the indentation is reported at 1:1 before any event is read: find the line it is on.
        if (text is not null && at.Line <= 1 && ex.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && IndentTab().Match(text) is { Success: true } tab)
        {
            int line = text.AsSpan(0, tab.Index).Count('\n') + 1;
            int column = tab.Length; // the tab itself, after any spaces before it
            return new EtlException(EtlErrors.YamlSyntaxError, $"{path}:{line}:{column}: a tab is used for indentation; YAML allows only spaces there.",
                "Indent with spaces (set the editor to insert spaces for .yaml files).", $"{path}:{line}", ex);
        }

        // "Exception during deserialization" and similar wrappers keep the real reason inside.
        string message = ex.InnerException is { } inner && !string.IsNullOrEmpty(inner.Message) && ex.Message.Contains("deserialization", StringComparison.OrdinalIgnoreCase)
            ? inner.Message : ex.Message;
        return new EtlException(EtlErrors.YamlSyntaxError, $"{Where(path, at)}: {StripPosition(message)}",
            "Fix the YAML at that position (indentation, a missing ':' or an unclosed quote or bracket are the usual causes).", $"{path}:{at.Line}", ex);
    }

    /// <summary>file:line:column, 1-based as editors show them.</summary>
    public static string Where(string path, Mark mark) => $"{path}:{Math.Max(1, mark.Line)}:{Math.Max(1, mark.Column)}";

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 40) - (Line: ...): "; our prefix says it already.
    private static string StripPosition(string message)
    {
        int end = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && end > 0 ? message[(end + 3)..] : message;
    }

    [GeneratedRegex(@"^ *\t", RegexOptions.Multiline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex IndentTab();
}
