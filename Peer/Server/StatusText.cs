// How status codes read to people and scripts: snake_case names, default texts, and which codes are failures.
using System.Text.Json;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Peer.Server;

public static class StatusText
{
    /// <summary>"auth_ok", "unknown_user"... (the enum name in snake_case).</summary>
    public static string Name(StatusCode code) =>
        Enum.IsDefined(code) ? JsonNamingPolicy.SnakeCaseLower.ConvertName(code.ToString()) : $"status_{(byte)code}";

    /// <summary>Codes that bring news rather than answer a request, even when they carry a refOpcode (e.g. 14 within the sign-in burst).</summary>
    public static bool IsNews(StatusCode code) => code is StatusCode.Message or StatusCode.FileOffer or StatusCode.FileReady
        or StatusCode.FriendRequest or StatusCode.FriendAccepted or StatusCode.FriendRefused or StatusCode.OfflineMessages
        or StatusCode.Buzzed or StatusCode.FriendRemoved or StatusCode.RosterPaged;

    /// <summary>Codes that mean a request was refused or the connection is being closed for a fault.</summary>
    public static bool IsFailure(StatusCode code) => code is StatusCode.NotEnoughData or StatusCode.PleaseAuth
        or StatusCode.UnknownUser or StatusCode.WrongPassword or StatusCode.UsernameExists or StatusCode.FileRejected
        or StatusCode.UnsupportedVersion or StatusCode.MalformedFrame or StatusCode.FrameTooLarge or StatusCode.NotAllowed
        or StatusCode.Banned or StatusCode.LoginsBlocked or StatusCode.Flooding or StatusCode.TooManyConnections
        or StatusCode.InvalidField or StatusCode.UnknownChannel or StatusCode.ChannelExists or StatusCode.NotMember
        or StatusCode.Timeout or StatusCode.QueueFull or StatusCode.InternalError;

    /// <summary>
    /// The server's text, or a plain description when it sent none; the seconds left for penalties (except in answers
    /// to MSG and MSG_MULTI, whose value is the requestId and whose text carries the seconds).
    /// </summary>
    public static string Describe(Status s)
    {
        var text = s.Text.Length > 0 ? s.Text : Default(s.Code);
        var valueIsSeconds = s.RefOpcode is not (Opcode.Msg or Opcode.MsgMulti) && s.Code is StatusCode.Banned or StatusCode.LoginsBlocked or StatusCode.Flooding;
        return valueIsSeconds && s.Value > 0
            ? $"{text} ({s.Value} s left)"
            : text;
    }

    private static string Default(StatusCode code) => code switch
    {
        StatusCode.NotEnoughData => "a required field is empty",
        StatusCode.PleaseAuth => "sign in first",
        StatusCode.UnknownUser => "unknown user",
        StatusCode.WrongPassword => "wrong password",
        StatusCode.UsernameExists => "that username is taken",
        StatusCode.NotAllowed => "not allowed",
        StatusCode.Banned => "the account is banned",
        StatusCode.LoginsBlocked => "too many failed sign-ins from this address",
        StatusCode.Flooding => "too many commands: ignored for a while",
        StatusCode.TooManyConnections => "too many connections from this address",
        StatusCode.ServerShuttingDown => "the server is shutting down",
        StatusCode.UnknownChannel => "no such channel",
        StatusCode.ChannelExists => "a channel of that name exists",
        StatusCode.NotMember => "not a member of that channel",
        StatusCode.Timeout => "the server heard nothing from us for too long",
        StatusCode.RetryLater => "the server is busy; trying again shortly",
        StatusCode.RosterPaged => "too many users online to list them all",
        StatusCode.TicketRefused => "the saved sign-in was refused; signing in with the password",
        _ => Name(code).Replace('_', ' '),
    };
}
