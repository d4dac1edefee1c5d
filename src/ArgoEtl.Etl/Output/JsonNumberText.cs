namespace ArgoEtl.Etl.Output;

/// <summary>
/// Whether a numeric field is already written the way System.Text.Json writes its value, so NDJSON can copy it instead
/// of parsing and formatting it: for doubles up to 15 significant digits, no exponent, no trailing fraction zeros, at
/// least 0.0001 in size; for integers no sign but '-', no leading zero, and too few digits to overflow. The bytes
/// written are the same either way; ordinary data skips a parse and a format per value.
/// </summary>
internal static class JsonNumberText
{
    // -?(0|[1-9][0-9]*) with at most maxDigits digits (so it cannot overflow); "-0" is left to the parser.
    internal static bool IsCanonicalInteger(ReadOnlySpan<char> s, int maxDigits)
    {
        int i = s.Length > 0 && s[0] == '-' ? 1 : 0;
        int digits = s.Length - i;
        if (digits == 0 || digits > maxDigits || (s[i] == '0' && (digits > 1 || i == 1)))
        {
            return false;
        }

        foreach (char c in s[i..])
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    // -?(0|[1-9][0-9]*)(\.[0-9]*[1-9])? with at most 15 significant digits and, below 1, at most three zeros after the point.
    internal static bool IsCanonical(ReadOnlySpan<char> s)
    {
        int i = s.Length > 0 && s[0] == '-' ? 1 : 0;
        if (i >= s.Length || !char.IsAsciiDigit(s[i]))
        {
            return false;
        }

        bool zeroInteger = s[i] == '0';
        if (zeroInteger && i + 1 < s.Length && s[i + 1] != '.')
        {
            return false; // a leading zero
        }

        int digits = 0;
        int leadingZeros = 0;
        bool significant = !zeroInteger;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            digits += significant ? 1 : 0;
        }

        if (i < s.Length)
        {
            if (s[i] != '.' || i == s.Length - 1 || s[^1] == '0')
            {
                return false;
            }

            for (i++; i < s.Length; i++)
            {
                if (!char.IsAsciiDigit(s[i]))
                {
                    return false;
                }

                if (!significant && s[i] == '0')
                {
                    leadingZeros++;
                    continue;
                }

                significant = true;
                digits++;
            }
        }

        return digits <= 15 && (!zeroInteger || leadingZeros <= 3 || digits == 0);
    }
}
