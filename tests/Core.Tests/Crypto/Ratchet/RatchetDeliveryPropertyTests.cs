// Property: under any schedule of sends, drops, duplicates and reordering, each message is read at most once and intact.
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Crypto;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;
using static P2PChat.Core.Tests.Crypto.Support.Conversation;

namespace P2PChat.Core.Tests.Crypto.Ratchet;

public sealed class RatchetDeliveryPropertyTests
{
    // One step of a schedule: who acts, and whether they send or deliver (pick = which queued message, dup = keep it queued).
    public sealed record Step(bool Alice, bool Send, int Pick, bool Duplicate, bool Drop);

    private static readonly Gen<Step> StepGen =
        from alice in ArbMap.Default.GeneratorFor<bool>()
        from send in Gen.Frequency((3, Gen.Constant(true)), (4, Gen.Constant(false)))
        from pick in Gen.Choose(0, 1000)
        from duplicate in Gen.Frequency((1, Gen.Constant(true)), (5, Gen.Constant(false)))
        from drop in Gen.Frequency((1, Gen.Constant(true)), (8, Gen.Constant(false)))
        select new Step(alice, send, pick, duplicate, drop);

    [Fact]
    public void Every_delivered_message_is_genuine_and_read_at_most_once()
    {
        var schedules = Gen.ListOf(StepGen).Select(steps => steps.Take(60).ToList());
        Prop.ForAll(Arb.From(schedules), schedule =>
        {
            using var c = new Conversation("property");
            var inFlight = new Dictionary<bool, List<(byte[] Envelope, string Text)>> { [true] = [], [false] = [] };
            var read = new HashSet<string> { "hello" };
            var counter = 0;
            foreach (var step in schedule)
            {
                var (me, peerQueue) = step.Alice ? (c.Alice, inFlight[false]) : (c.Bob, inFlight[true]);
                if (step.Send)
                {
                    var text = $"{(step.Alice ? 'a' : 'b')}{counter++}";
                    if (!step.Drop) inFlight[step.Alice].Add((me.Encrypt(Utf8(text)), text));
                    else me.Encrypt(Utf8(text));
                    continue;
                }
                var myQueue = inFlight[!step.Alice];
                if (myQueue.Count == 0) continue;
                var index = step.Pick % myQueue.Count;
                var (envelope, expected) = myQueue[index];
                if (!step.Duplicate) myQueue.RemoveAt(index);
                try
                {
                    var plaintext = Text(me.Decrypt(envelope));
                    if (plaintext != expected || !read.Add(plaintext)) return false;
                }
                catch (CryptoProtocolException e)
                {
                    // Only a copy of something already read may be refused, and as a replay.
                    if (e.Reason != CryptoFailure.Replayed || !read.Contains(expected)) return false;
                }
            }
            return true;
        }).Check(DeterministicProperties.Config(maxTest: 40));
    }
}
