using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace TritonMesos.Generators;

/// <summary>
/// A small JSON reader for <c>patches/features.json</c> (a generator cannot easily carry System.Text.Json): objects become
/// dictionaries, arrays lists, strings strings, numbers doubles, true/false bools, null null.
/// </summary>
internal sealed class MiniJson
{
    private readonly string _text;
    private int _position;

    private MiniJson(string text) => _text = text;

    /// <summary>Parses the text; throws <see cref="FormatException"/> with the line number on bad input.</summary>
    public static object? Parse(string text)
    {
        var reader = new MiniJson(text);
        var value = reader.ReadValue();
        reader.SkipWhitespace();
        if (reader._position != text.Length)
            throw reader.Error("unexpected text after the JSON value");
        return value;
    }

    private object? ReadValue()
    {
        SkipWhitespace();
        if (_position >= _text.Length)
            throw Error("unexpected end of JSON");
        switch (_text[_position])
        {
            case '{': return ReadObject();
            case '[': return ReadArray();
            case '"': return ReadString();
            case 't': Expect("true"); return true;
            case 'f': Expect("false"); return false;
            case 'n': Expect("null"); return null;
            default: return ReadNumber();
        }
    }

    private Dictionary<string, object?> ReadObject()
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        _position++;
        SkipWhitespace();
        if (Peek() == '}')
        {
            _position++;
            return result;
        }
        while (true)
        {
            SkipWhitespace();
            var key = ReadString();
            SkipWhitespace();
            if (Peek() != ':')
                throw Error("expected ':'");
            _position++;
            result[key] = ReadValue();
            SkipWhitespace();
            var c = Peek();
            _position++;
            if (c == '}')
                return result;
            if (c != ',')
                throw Error("expected ',' or '}'");
        }
    }

    private List<object?> ReadArray()
    {
        var result = new List<object?>();
        _position++;
        SkipWhitespace();
        if (Peek() == ']')
        {
            _position++;
            return result;
        }
        while (true)
        {
            result.Add(ReadValue());
            SkipWhitespace();
            var c = Peek();
            _position++;
            if (c == ']')
                return result;
            if (c != ',')
                throw Error("expected ',' or ']'");
        }
    }

    private string ReadString()
    {
        if (Peek() != '"')
            throw Error("expected a string");
        _position++;
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
                throw Error("unterminated string");
            var c = _text[_position++];
            if (c == '"')
                return builder.ToString();
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }
            var escape = _position < _text.Length ? _text[_position++] : '\0';
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u' when _position + 4 <= _text.Length:
                    builder.Append((char)int.Parse(_text.Substring(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    _position += 4;
                    break;
                default: throw Error("bad escape in string");
            }
        }
    }

    private double ReadNumber()
    {
        var start = _position;
        while (_position < _text.Length && "+-0123456789.eE".IndexOf(_text[_position]) >= 0)
            _position++;
        if (start == _position || !double.TryParse(_text.Substring(start, _position - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            throw Error("unexpected character");
        return number;
    }

    private void Expect(string word)
    {
        if (string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0)
            throw Error($"expected '{word}'");
        _position += word.Length;
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void SkipWhitespace()
    {
        while (_position < _text.Length)
        {
            if (char.IsWhiteSpace(_text[_position]))
                _position++;
            else if (_text[_position] == '/' && _position + 1 < _text.Length && _text[_position + 1] == '/')
                while (_position < _text.Length && _text[_position] != '\n')
                    _position++;
            else
                return;
        }
    }

    private FormatException Error(string message)
    {
        var line = 1;
        for (var i = 0; i < _position && i < _text.Length; i++)
            if (_text[i] == '\n')
                line++;
        return new FormatException($"line {line}: {message}");
    }
}
