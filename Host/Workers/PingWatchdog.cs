using SimHost.Host.Diagnostics;
using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>
/// Pings a slot's idle worker every <see cref="WorkerPoolOptions.PingInterval"/> and kills it when a Ping goes
/// unanswered for <see cref="WorkerPoolOptions.PingTimeout"/>. A busy worker is never pinged: the job timeout covers it.
/// </summary>
internal sealed class PingWatchdog(WorkerSlot slot, WorkerPoolOptions options)
{
    /// <summary>Pings the idle worker every interval until its connection closes (a failure, a kill, or shutdown).</summary>
    public async Task WatchAsync(WorkerInstance instance, CancellationToken shutdown)
    {
        var connection = instance.Connection;
        if (options.PingInterval != Timeout.InfiniteTimeSpan)
        {
            var clock = options.RestartPolicy.TimeProvider;
            while (connection.IsOpen && !shutdown.IsCancellationRequested)
            {
                // WhenAny never throws: a cancelled delay just ends the wait.
                await Task.WhenAny(connection.Closed, Task.Delay(options.PingInterval, clock, shutdown)).ConfigureAwait(false);
                if (connection.IsOpen && !shutdown.IsCancellationRequested)
                {
                    await PingAsync(instance, shutdown).ConfigureAwait(false);
                }
            }
        }

        // On shutdown, WorkerSlot.ShutdownAsync breaks the connection once the worker has been told to exit.
        await connection.Closed.ConfigureAwait(false);
    }

    private async Task PingAsync(WorkerInstance instance, CancellationToken shutdown)
    {
        if (!slot.TryEnterIdle())
        {
            // Busy with a job: the job timeout covers it.
            return;
        }

        var sequence = slot.NextSequence();
        try
        {
            await instance.Connection.RequestAsync(PingMessage.Instance, sequence, options.PingTimeout, shutdown).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            slot.Kill(instance, $"did not answer Ping #{sequence} within {DurationFormat.Format(options.PingTimeout)}; killed");
        }
        catch (WorkerBrokenException)
        {
            // The watch loop sees the connection closed; the receive loop logged why.
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // The pool is shutting down.
        }
        finally
        {
            slot.ExitIdle();
        }
    }
}
