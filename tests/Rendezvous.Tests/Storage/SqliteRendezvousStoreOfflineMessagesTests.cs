// Tests of offline message storage: append, ordered fetch with original times, paging, delete of named ids, cap, restart.
using P2PChat.Rendezvous.Storage;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Storage;

public sealed class SqliteRendezvousStoreOfflineMessagesTests : StoreWithUsersTestBase
{
    private NewOfflineMessage Message(int n, uint to = 0) =>
        new(Alice, to == 0 ? Bob : to, Bob, Start.AddSeconds(-n).AddTicks(n * 12_345), (byte)n, new[] { (byte)n, (byte)(n >> 8) });

    private async Task<long> AppendAsync(NewOfflineMessage message)
    {
        var result = await Store.AppendOfflineMessageAsync(message, Ct);
        Assert.Equal(AppendOutcome.Stored, result.Outcome);
        return result.Id!.Value;
    }

    [Fact]
    public async Task Messages_come_back_in_order_with_original_millisecond_times_across_restart()
    {
        // Sent-at times deliberately go backwards: order is by append id, not by time.
        var sent = new[] { Message(1), Message(2), Message(3) };
        var ids = new List<long>();
        foreach (var message in sent)
        {
            ids.Add(await AppendAsync(message));
        }

        await ReopenAsync();
        var fetched = await Store.FetchOfflineMessagesAsync(Bob, 0, 100, Ct);

        Assert.Equal(ids, fetched.Select(m => m.Id));
        Assert.True(ids[0] < ids[1] && ids[1] < ids[2]);
        for (var i = 0; i < sent.Length; i++)
        {
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(sent[i].SentAt.ToUnixTimeMilliseconds()), fetched[i].SentAt);
            Assert.Equal(sent[i].Payload.ToArray(), fetched[i].Payload.ToArray());
            Assert.Equal((sent[i].FromTag, sent[i].ToTag, sent[i].ConversationTag, sent[i].Flags),
                (fetched[i].FromTag, fetched[i].ToTag, fetched[i].ConversationTag, fetched[i].Flags));
        }
    }

    [Fact]
    public async Task Fetch_pages_in_id_order()
    {
        var ids = new List<long>();
        for (var n = 1; n <= 4; n++)
        {
            ids.Add(await AppendAsync(Message(n)));
        }
        await AppendAsync(Message(9, to: Alice));

        var page = await Store.FetchOfflineMessagesAsync(Bob, 0, 2, Ct);
        var next = await Store.FetchOfflineMessagesAsync(Bob, page[^1].Id, 2, Ct);
        Assert.Equal(ids, page.Concat(next).Select(m => m.Id));
        Assert.Empty(await Store.FetchOfflineMessagesAsync(Bob, next[^1].Id, 2, Ct));
    }

    [Fact]
    public async Task Delete_removes_exactly_the_named_ids_not_every_lower_one()
    {
        var ids = new List<long>();
        for (var n = 1; n <= 4; n++)
        {
            ids.Add(await AppendAsync(Message(n)));
        }

        // The second and the fourth go (named twice: counted once); the first and the third, lower ids, stay.
        Assert.Equal(2, await Store.DeleteOfflineMessagesAsync(Bob, [ids[3], ids[1], ids[3]], Ct));

        Assert.Equal([ids[0], ids[2]], (await Store.FetchOfflineMessagesAsync(Bob, 0, 100, Ct)).Select(m => m.Id));
        Assert.Equal(0, await Store.DeleteOfflineMessagesAsync(Bob, [ids[1]], Ct)); // already gone
        Assert.Equal(0, await Store.DeleteOfflineMessagesAsync(Bob, [], Ct));
    }

    [Fact]
    public async Task Delete_leaves_other_recipients_messages_alone_even_when_their_ids_are_named()
    {
        var bobs = await AppendAsync(Message(1));
        var alices = await AppendAsync(Message(2, to: Alice));

        Assert.Equal(1, await Store.DeleteOfflineMessagesAsync(Bob, [bobs, alices], Ct));

        Assert.Equal(0, await Store.CountOfflineMessagesAsync(Bob, Ct));
        Assert.Equal([alices], (await Store.FetchOfflineMessagesAsync(Alice, 0, 100, Ct)).Select(m => m.Id));
    }

    [Fact]
    public async Task A_delete_is_durable_across_reopen()
    {
        var kept = await AppendAsync(Message(1));
        var gone = await AppendAsync(Message(2));
        await Store.DeleteOfflineMessagesAsync(Bob, [gone], Ct);

        await ReopenAsync();

        Assert.Equal([kept], (await Store.FetchOfflineMessagesAsync(Bob, 0, 100, Ct)).Select(m => m.Id));
    }

    [Fact]
    public async Task Ids_keep_increasing_after_everything_is_deleted_and_reopened()
    {
        var first = await AppendAsync(Message(1));
        await Store.DeleteOfflineMessagesAsync(Bob, [first], Ct);

        await ReopenAsync();

        Assert.True(await AppendAsync(Message(2)) > first);
    }

    [Fact]
    public async Task Cap_per_recipient_is_a_distinct_result()
    {
        for (var n = 0; n < 5; n++)
        {
            await AppendAsync(Message(n));
        }

        var refused = await Store.AppendOfflineMessageAsync(Message(6), Ct);

        Assert.Equal(new AppendResult(AppendOutcome.RecipientQueueFull, null), refused);
        Assert.Equal(5, await Store.CountOfflineMessagesAsync(Bob, Ct));
        Assert.Equal(AppendOutcome.Stored, (await Store.AppendOfflineMessageAsync(Message(7, to: Alice), Ct)).Outcome);
    }

    [Fact]
    public async Task Unknown_recipient_and_oversize_payload_are_refused()
    {
        Assert.Equal(AppendOutcome.UnknownRecipient, (await Store.AppendOfflineMessageAsync(Message(1, to: 0x8000_0555), Ct)).Outcome);

        var max = Message(1) with { Payload = new byte[NewOfflineMessage.MaxPayloadBytes] };
        Assert.Equal(AppendOutcome.Stored, (await Store.AppendOfflineMessageAsync(max, Ct)).Outcome);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.AppendOfflineMessageAsync(max with { Payload = new byte[NewOfflineMessage.MaxPayloadBytes + 1] }, Ct));
    }
}
