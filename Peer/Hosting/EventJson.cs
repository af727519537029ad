// How client events are written as JSON lines: {"event":"name", ...fields in snake_case}, times in ISO 8601 UTC.
using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using P2PChat.Core.Nat;
using P2PChat.Core.Protocol;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Hosting;

/// <summary>
/// The event name is the record's name without "Event", in snake_case (<c>SignedOutElsewhereEvent</c> →
/// <c>signed_out_elsewhere</c>); it is always the first field. Other fields are the record's properties in
/// snake_case; enums are snake_case strings; null fields are left out; times are <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.
/// The metadata is <see cref="EventJsonContext"/>'s, generated at compile time, so the native AOT peer serializes
/// without reflection; docs/headless.md is the contract (the tests hold it byte for byte to the reflection output).
/// </summary>
public static class EventJson
{
    /// <summary>An event type not in <see cref="EventJsonContext"/> throws <see cref="NotSupportedException"/> here.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = EventJsonContext.Default,
        // One converter per enum an event holds (the generic ones need no run-time code); an enum without one would be
        // written as a number, which the tests catch.
        Converters =
        {
            new JsonStringEnumConverter<PinOutcome>(JsonNamingPolicy.SnakeCaseLower),
            new JsonStringEnumConverter<Presence>(JsonNamingPolicy.SnakeCaseLower),
            new JsonStringEnumConverter<MappingBehaviour>(JsonNamingPolicy.SnakeCaseLower),
            new UtcTimeConverter(),
        },
    };

    private static readonly ConcurrentDictionary<Type, string> Names = new();

    public static string NameOf(Type eventType) => Names.GetOrAdd(eventType, static type =>
    {
        var name = type.Name;
        if (name.EndsWith("Event", StringComparison.Ordinal)) name = name[..^"Event".Length];
        return JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
    });

    /// <summary>One line of JSON, without the newline.</summary>
    public static string Serialize(ClientEvent e)
    {
        // The record's own object, {...}, with the event's name put in front of its fields (a name is ASCII letters and
        // underscores: nothing to escape).
        var body = JsonSerializer.SerializeToUtf8Bytes(e, TypeInfo(e.GetType()));
        var head = "{\"event\":\"" + NameOf(e.GetType()) + "\"";
        return body.Length <= 2 ? head + "}" : head + "," + Encoding.UTF8.GetString(body, 1, body.Length - 1);
    }

    /// <summary>The generated metadata of one event type (throws for a type the context does not list).</summary>
    public static JsonTypeInfo TypeInfo(Type eventType) => Options.GetTypeInfo(eventType);
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
