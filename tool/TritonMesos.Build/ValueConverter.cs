using System.ComponentModel;
using System.Globalization;

namespace TritonMesos.Build;

/// <summary>Converts parameter text to the member's type: strings, numbers, bools, enums, nullables and 1-D arrays.</summary>
internal static class ValueConverter
{
    /// <summary>Splits one text on the separator (if any), drops blanks and converts.</summary>
    public static object? Convert(string value, Type type, char? separator, bool booleanDefault)
    {
        var values = (separator is { } s ? value.Split(s) : [value]).Where(v => !string.IsNullOrWhiteSpace(v)).ToArray();
        return Convert(values, type, booleanDefault);
    }

    /// <summary>Converts the values of one argument; no values means an empty array, <paramref name="booleanDefault"/> or null.</summary>
    public static object? Convert(IReadOnlyList<string> values, Type type, bool booleanDefault)
    {
        var elementType = type.IsArray ? type.GetElementType()! : type;
        if (values.Count == 0)
        {
            if (type.IsArray)
                return Array.CreateInstance(elementType, 0);
            if (type == typeof(bool) || type == typeof(bool?))
                return booleanDefault;
            return null;
        }
        var converted = values.Select(v => ConvertScalar(v, elementType)).ToList();
        if (!type.IsArray)
        {
            if (converted.Count != 1)
                throw new BuildException($"Value [ {string.Join(", ", values)} ] cannot be assigned to '{TypeName(type)}'");
            return converted[0];
        }
        var array = Array.CreateInstance(elementType, converted.Count);
        for (var i = 0; i < converted.Count; i++)
            array.SetValue(converted[i], i);
        return array;
    }

    private static object? ConvertScalar(string value, Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        try
        {
            if (target == typeof(string))
                return value;
            if (target.IsEnum)
                return Enum.Parse(target, value, ignoreCase: true);
            return TypeDescriptor.GetConverter(target).ConvertFromString(null, CultureInfo.InvariantCulture, value);
        }
        catch (Exception e) when (e is not BuildException)
        {
            var allowed = target.IsEnum ? $" (one of {string.Join(", ", Enum.GetNames(target))})" : "";
            throw new BuildException($"Value '{value}' could not be converted to '{TypeName(type)}'{allowed}");
        }
    }

    /// <summary>A short display name: <c>string[]</c>, <c>bool?</c>.</summary>
    public static string TypeName(Type type) =>
        type.IsArray ? TypeName(type.GetElementType()!) + "[]"
        : Nullable.GetUnderlyingType(type) is { } u ? TypeName(u) + "?"
        : type == typeof(string) ? "string" : type == typeof(bool) ? "bool" : type == typeof(int) ? "int" : type.Name;
}
