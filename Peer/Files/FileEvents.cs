// What file transfer tells the front end: one record per event (headless: {"event":"file_offer",...}, docs/headless.md).
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Files;

/// <summary>A contact offers a file or folder; answer with /accept ID [FOLDER] or /reject ID.</summary>
/// <param name="Files">files in the offer (1 for a single file); <paramref name="Folders"/> folders, empty ones included.</param>
public sealed record FileOfferEvent(string Id, string From, string Name, long Size, int Files, int Folders) : ClientEvent;

/// <summary>Our offer waits: the contact is offline (it is made when they come online) or the link is not up yet.</summary>
public sealed record FileQueuedEvent(string Id, string To, string Name, long Size, int Files, string Reason) : ClientEvent;

/// <summary>Our offer reached the contact; they have not answered yet.</summary>
public sealed record FileOfferedEvent(string Id, string To, string Name, long Size, int Files) : ClientEvent;

/// <summary>Direction send: User accepted our offer. Direction receive: we accepted; the files go to Path.</summary>
public sealed record FileAcceptedEvent(string Id, string Direction, string User, string? Path) : ClientEvent;

/// <summary>Direction send: User rejected our offer (Reason says why, e.g. a name it refused). Receive: we rejected.</summary>
public sealed record FileRejectedEvent(string Id, string Direction, string User, string Reason) : ClientEvent;

/// <summary>Bytes verified (receive) or sent (send) of Total; Rate in bytes per second; Eta in seconds (null until known).</summary>
public sealed record FileProgressEvent(string Id, string Direction, long Bytes, long Total, long Rate, long? Eta) : ClientEvent;

/// <summary>Every file verified and named. Path: the final file or folder (receive) or what was sent; Sha256: the file's hash (single files).</summary>
public sealed record FileDoneEvent(string Id, string Direction, string User, string Path, string? Sha256, int Files, long Size) : ClientEvent;

/// <summary>The transfer stopped. Resumable: partial files are kept and it goes on when asked again (/accept ID), e.g. after a full disk.</summary>
public sealed record FileFailedEvent(string Id, string Direction, string Reason, bool Resumable) : ClientEvent;

/// <summary>Cancelled by "me" or by "peer"; finished files of a folder are kept, partial ones deleted.</summary>
public sealed record FileCancelledEvent(string Id, string Direction, string By, string Reason) : ClientEvent;

/// <summary>Our transfer cannot go through the server's relay (over its byte limits): it waits for a direct path to User and starts by itself.</summary>
public sealed record FileWaitingEvent(string Id, string Direction, string User, long Remaining, string Reason) : ClientEvent;

/// <summary>The link went away or stalled mid-transfer; it resumes from the last verified chunk by itself.</summary>
public sealed record FileInterruptedEvent(string Id, string Direction, string Reason) : ClientEvent;

/// <summary>A contact presented a transfer id we never accepted from them, or offered hostile names: refused and dropped.</summary>
public sealed record FileRefusedEvent(string From, string? Id, string Reason) : ClientEvent;

/// <summary>/transfers: every transfer we know, newest first.</summary>
public sealed record TransfersEvent(IReadOnlyList<TransferInfo> Transfers) : ClientEvent;

/// <param name="Status">queued, offered, accepted, paused, done, rejected, cancelled or failed.</param>
public sealed record TransferInfo(string Id, string Direction, string User, string Name, long Size, int Files, long Bytes, string Status);
