// Small readers for the fields of headless JSON events.
using System.Text.Json;

namespace P2PChat.EndToEnd.Tests.Processes;

public static class JsonEvents
{
    public static string Str(this JsonElement e, string field) => e.GetProperty(field).GetString() ?? "";
    public static bool Bool(this JsonElement e, string field) => e.GetProperty(field).GetBoolean();
    public static long Long(this JsonElement e, string field) => e.GetProperty(field).GetInt64();
    public static int Int(this JsonElement e, string field) => e.GetProperty(field).GetInt32();
    public static bool Is(this JsonElement e, string field, string value) => e.TryGetProperty(field, out var v) && v.GetString() == value;
}
