// How client events are written as JSON lines: {"event":"name", ...fields in snake_case}, times in ISO 8601 UTC.
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace P2PChat.Peer.Events;

/// <summary>
/// The event name is the record's name without "Event", in snake_case (<c>SignedOutElsewhereEvent</c> →
/// <c>signed_out_elsewhere</c>); it is always the first field. Other fields are the record's properties in
/// snake_case; enums are snake_case strings; null fields are left out; times are <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.
/// </summary>
public static class EventJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower), new UtcTimeConverter() },
    };

    public static string NameOf(Type eventType)
    {
        var name = eventType.Name;
        if (name.EndsWith("Event", StringComparison.Ordinal)) name = name[..^"Event".Length];
        return JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
    }

    /// <summary>One line of JSON, without the newline.</summary>
    public static string Serialize(ClientEvent e)
    {
        var body = JsonSerializer.SerializeToElement(e, e.GetType(), Options);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("event", NameOf(e.GetType()));
            foreach (var property in body.EnumerateObject()) property.WriteTo(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

/// <summary>Writes <see cref="DateTimeOffset"/> as UTC with milliseconds and a Z; reads any ISO 8601 time.</summary>
public sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, System.Globalization.CultureInfo.InvariantCulture));
}
