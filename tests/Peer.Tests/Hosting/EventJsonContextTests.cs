// Tests the source-generated event JSON: every event type is registered, and each writes exactly what the reflection-based serializer wrote.
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using P2PChat.Peer.Events;
using P2PChat.Peer.Hosting;
using Xunit;

namespace P2PChat.Peer.Tests.Hosting;

public sealed class EventJsonContextTests
{
    /// <summary>Every concrete <see cref="ClientEvent"/> in the peer's assembly, found by reflection (a new record counts at once).</summary>
    public static TheoryData<Type> EventTypes() => new(typeof(ClientEvent).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && t.IsAssignableTo(typeof(ClientEvent))).OrderBy(t => t.FullName));

    [Fact]
    public void The_assembly_has_the_events_the_headless_contract_names()
    {
        Assert.True(EventTypes().Count >= 55, $"only {EventTypes().Count} event types found");
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Every_event_type_is_in_the_generated_context(Type type)
    {
        Assert.True(EventJsonContext.Default.GetTypeInfo(type) is not null,
            $"{type.Name} is not in EventJsonContext (Peer/Hosting/EventJsonContext.cs): add a [JsonSerializable(typeof({type.Name}))] line");
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Every_field_set_writes_what_the_reflection_serializer_wrote(Type type)
    {
        var e = (ClientEvent)Sample.Of(type, nulls: false);
        Assert.Equal(ReflectionSerialize(e), EventJson.Serialize(e));
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Null_fields_write_what_the_reflection_serializer_wrote(Type type)
    {
        var e = (ClientEvent)Sample.Of(type, nulls: true);
        Assert.Equal(ReflectionSerialize(e), EventJson.Serialize(e));
    }

    /// <summary>The peer's serializer before source generation (reflection, a non-generic enum converter), kept here as
    /// the reference: the test process runs JIT, where reflection-based serialization still works.</summary>
    private static readonly JsonSerializerOptions ReflectionOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower), new UtcTimeConverter() },
    };

    private static string ReflectionSerialize(ClientEvent e)
    {
        var body = JsonSerializer.SerializeToElement(e, e.GetType(), ReflectionOptions);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            var name = e.GetType().Name;
            w.WriteString("event", JsonNamingPolicy.SnakeCaseLower.ConvertName(name.EndsWith("Event", StringComparison.Ordinal) ? name[..^5] : name));
            foreach (var property in body.EnumerateObject()) property.WriteTo(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>A populated instance of a record, built through its widest constructor: every string holds characters
    /// that need escaping (or not, under the relaxed encoder), numbers are large, enums take their last (multi-word)
    /// value, lists hold two items; with nulls, every nullable parameter is null instead.</summary>
    private static class Sample
    {
        private static int _counter;

        public static object Of(Type type, bool nulls)
        {
            var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            return ctor.Invoke([.. ctor.GetParameters().Select(p => Value(p.ParameterType, p.Name!, nulls && IsNullable(p)))]);
        }

        private static bool IsNullable(ParameterInfo p) =>
            Nullable.GetUnderlyingType(p.ParameterType) is not null
            || !p.ParameterType.IsValueType && new NullabilityInfoContext().Create(p).WriteState == NullabilityState.Nullable;

        private static object? Value(Type type, string name, bool asNull)
        {
            if (asNull) return null;
            if (Nullable.GetUnderlyingType(type) is { } inner) type = inner;
            int n = Interlocked.Increment(ref _counter);
            if (type == typeof(string)) return $"{name} \"q\" <é> & \\ \u2028 💬 {n}";
            if (type == typeof(bool)) return true;
            if (type == typeof(int)) return -2_000_000_000 + n;
            if (type == typeof(uint)) return 4_000_000_000u + (uint)n;
            if (type == typeof(long)) return 9_000_000_000_000L + n;
            if (type == typeof(ulong)) return ulong.MaxValue - (ulong)n;
            if (type == typeof(ushort)) return (ushort)(60_000 + n);
            if (type == typeof(double)) return 1234.5678 + n / 3.0;
            if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 12, 6, 15, 4, 5, 678, TimeSpan.FromHours(-5)).AddSeconds(n);
            if (type.IsEnum) return Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1);
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            {
                var item = type.GetGenericArguments()[0];
                var list = Array.CreateInstance(item, 2);
                for (int i = 0; i < 2; i++) list.SetValue(Value(item, name, false), i);
                return list;
            }
            if (type == typeof(IReadOnlyDictionary<string, string>))
                return new Dictionary<string, string> { [$"alice {n}"] = "00ff", [$"bob \"b\" {n}"] = "ff00" };
            if (type.IsClass) return Of(type, nulls: false);
            throw new NotSupportedException($"no sample value for {type} ({name}): extend EventJsonContextTests.Sample");
        }
    }
}
