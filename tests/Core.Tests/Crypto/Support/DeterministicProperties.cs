// FsCheck configuration with a fixed seed, so property tests explore the same cases on every run.
using FsCheck;
using Microsoft.FSharp.Core;

namespace P2PChat.Core.Tests.Crypto.Support;

internal static class DeterministicProperties
{
    public static Config Config(int maxTest = 100, ulong seed = 20261121) =>
        FsCheck.Config.QuickThrowOnFailure
            .WithMaxTest(maxTest)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));
}
