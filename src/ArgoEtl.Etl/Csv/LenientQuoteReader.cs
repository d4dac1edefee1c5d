using System.Text;

namespace ArgoEtl.Etl.Csv;

/// <summary>
/// Rewrites CSV text so that a quote inside an unquoted field is an ordinary character: such a field is re-emitted
/// quoted, with its quotes doubled, which the strict parser then reads back as the literal text. Only used under
/// <see cref="CsvFormat.LenientQuotes"/>, so the per-character state machine costs nothing in the default path.
/// Line breaks are passed through unchanged, so line numbers in errors stay those of the file.
/// </summary>
internal sealed class LenientQuoteReader(TextReader inner, char delimiter) : TextReader
{
    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
        AfterClosingQuote,
    }

    private readonly char[] _in = new char[64 * 1024];
    private readonly StringBuilder _field = new();
    private readonly StringBuilder _out = new();
    private int _outPos;
    private State _state;
    private bool _fieldHasQuote;
    private bool _ended;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        while (_outPos >= _out.Length && !_ended)
        {
            _out.Clear();
            _outPos = 0;
            int n = inner.Read(_in, 0, _in.Length);
            if (n == 0)
            {
                _ended = true;
                FlushField();
                break;
            }

            Rewrite(_in.AsSpan(0, n));
        }

        int take = Math.Min(buffer.Length, _out.Length - _outPos);
        _out.CopyTo(_outPos, buffer, take);
        _outPos += take;
        return take;
    }

    public override int Read() => throw new NotSupportedException("Read in blocks.");

    public override int Peek() => -1;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Rewrite(ReadOnlySpan<char> chunk)
    {
        foreach (char c in chunk)
        {
            bool ends = c == delimiter || c == '\n' || c == '\r';
            switch (_state)
            {
                case State.FieldStart:
                    if (c == '"')
                    {
                        _out.Append(c);
                        _state = State.Quoted;
                    }
                    else if (ends)
                    {
                        _out.Append(c);
                    }
                    else
                    {
                        _field.Append(c);
                        _state = State.Unquoted;
                    }

                    break;
                case State.Unquoted:
                    if (ends)
                    {
                        FlushField();
                        _out.Append(c);
                        _state = State.FieldStart;
                    }
                    else
                    {
                        _fieldHasQuote |= c == '"';
                        _field.Append(c);
                    }

                    break;
                case State.Quoted:
                    _out.Append(c);
                    if (c == '"')
                    {
                        _state = State.QuoteInQuoted;
                    }

                    break;
                case State.QuoteInQuoted:
                    _out.Append(c);
                    _state = c == '"' ? State.Quoted : ends ? State.FieldStart : State.AfterClosingQuote;
                    break;
                default:
                    // Text after a closing quote stays an error (the strict check reports it); pass it through as it is.
                    _out.Append(c);
                    if (ends)
                    {
                        _state = State.FieldStart;
                    }

                    break;
            }
        }
    }

    private void FlushField()
    {
        if (_field.Length == 0)
        {
            return;
        }

        if (_fieldHasQuote)
        {
            _out.Append('"').Append(_field.Replace("\"", "\"\"")).Append('"');
        }
        else
        {
            _out.Append(_field);
        }

        _field.Clear();
        _fieldHasQuote = false;
    }
}
