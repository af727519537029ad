// The simulation driver's old name: forwards to ManualTimeProvider.RunUntilDone (TestSupport), the one manual clock.
using P2PChat.TestSupport;

namespace P2PChat.NetLab.Sim;

/// <summary>Kept so that lab code written against it still builds; new code calls <see cref="ManualTimeProvider.RunUntilDone{T}"/>.</summary>
public static class LabClock
{
    public static T Run<T>(ManualTimeProvider time, Task<T> task, TimeSpan limit, TimeSpan? step = null) => time.RunUntilDone(task, limit, step);

    public static void Run(ManualTimeProvider time, Task task, TimeSpan limit, TimeSpan? step = null) => time.RunUntilDone(task, limit, step);
}
