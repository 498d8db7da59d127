using System.Collections.Immutable;
using System.Text;
using SimHost.Layout.Jobs;

namespace SimHost.Layout.Protocol;

/// <summary>
/// Worker to host, right after Hello and before Welcome: the jobs the worker loaded and what it could not load, so
/// the host can refuse a simulation whose jobs a worker cannot run instead of failing every range of every frame.
/// </summary>
/// <remarks>
/// Body layout (little-endian): job count u16, then that many job names (u16 length + UTF-8); failure count u16,
/// then per failure: error code u8 (<see cref="JobLoadError"/>), assembly path, job name (may be empty) and detail,
/// each a u16 length + UTF-8. See docs/protocol.md.
/// </remarks>
internal sealed record JobCatalogMessage : ProtocolMessage
{
    /// <summary>Creates a JobCatalog; failure paths, names and details longer than their caps are truncated, never rejected.</summary>
    /// <param name="jobNames">The jobs the worker can run: at most <see cref="ProtocolConstants.MaxCatalogJobs"/>, each 1 to <see cref="ProtocolConstants.MaxJobNameBytes"/> UTF-8 bytes.</param>
    /// <param name="failures">What the worker could not load; at most <see cref="ProtocolConstants.MaxCatalogFailures"/>, each with a non-empty assembly path.</param>
    /// <exception cref="ArgumentException">Too many names or failures, a name that is empty or too long, an empty assembly path, or an undefined error code.</exception>
    public JobCatalogMessage(ImmutableArray<string> jobNames, ImmutableArray<JobLoadFailure> failures)
    {
        jobNames = jobNames.IsDefault ? [] : jobNames;
        failures = failures.IsDefault ? [] : failures;
        if (jobNames.Length > ProtocolConstants.MaxCatalogJobs)
        {
            throw new ArgumentException($"{jobNames.Length} job names; the protocol allows at most {ProtocolConstants.MaxCatalogJobs}.", nameof(jobNames));
        }

        if (failures.Length > ProtocolConstants.MaxCatalogFailures)
        {
            throw new ArgumentException($"{failures.Length} load failures; the protocol allows at most {ProtocolConstants.MaxCatalogFailures}.", nameof(failures));
        }

        foreach (var name in jobNames)
        {
            ProtocolText.RequireCapped(name, ProtocolConstants.MaxJobNameBytes, nameof(jobNames));
        }

        var capped = ImmutableArray.CreateBuilder<JobLoadFailure>(failures.Length);
        foreach (var failure in failures)
        {
            ArgumentNullException.ThrowIfNull(failure, nameof(failures));
            if (!Enum.IsDefined(failure.Error))
            {
                throw new ArgumentException($"Load failure code {(byte)failure.Error} is not a {nameof(JobLoadError)}.", nameof(failures));
            }

            ArgumentException.ThrowIfNullOrEmpty(failure.AssemblyPath, nameof(failures));
            capped.Add(new JobLoadFailure(
                failure.Error,
                ProtocolText.Truncate(failure.AssemblyPath, ProtocolConstants.MaxAssemblyPathBytes),
                ProtocolText.Truncate(failure.JobName ?? string.Empty, ProtocolConstants.MaxJobNameBytes),
                ProtocolText.Truncate(failure.Detail ?? string.Empty, ProtocolConstants.MaxErrorTextBytes)));
        }

        JobNames = jobNames;
        Failures = capped.MoveToImmutable();
    }

    /// <inheritdoc/>
    public override MessageType Type => MessageType.JobCatalog;

    /// <summary>The jobs the worker loaded and can run.</summary>
    public ImmutableArray<string> JobNames { get; }

    /// <summary>The job assemblies and jobs the worker could not load, each with a code and a one-line detail.</summary>
    public ImmutableArray<JobLoadFailure> Failures { get; }

    internal override int BodySizeBytes
    {
        get
        {
            var size = sizeof(ushort) + sizeof(ushort);
            foreach (var name in JobNames)
            {
                size += sizeof(ushort) + Encoding.UTF8.GetByteCount(name);
            }

            foreach (var failure in Failures)
            {
                size += sizeof(byte) + (3 * sizeof(ushort))
                    + Encoding.UTF8.GetByteCount(failure.AssemblyPath)
                    + Encoding.UTF8.GetByteCount(failure.JobName)
                    + Encoding.UTF8.GetByteCount(failure.Detail);
            }

            return size;
        }
    }

    /// <summary>
    /// The report of <paramref name="catalog"/>: its job names that fit the protocol (the first
    /// <see cref="ProtocolConstants.MaxCatalogJobs"/> in name order) and its first <see cref="ProtocolConstants.MaxCatalogFailures"/> failures.
    /// </summary>
    /// <param name="catalog">The worker's catalog, usually from <see cref="JobCatalog.LoadEach"/>.</param>
    /// <returns>The message.</returns>
    public static JobCatalogMessage FromCatalog(JobCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var names = ImmutableArray.CreateBuilder<string>();
        foreach (var name in catalog.Names)
        {
            // A longer name could never be sent in a JobStart, so it is no use to report.
            if (names.Count < ProtocolConstants.MaxCatalogJobs && Encoding.UTF8.GetByteCount(name) <= ProtocolConstants.MaxJobNameBytes)
            {
                names.Add(name);
            }
        }

        var failures = catalog.LoadFailures;
        var count = Math.Min(failures.Count, ProtocolConstants.MaxCatalogFailures);
        var kept = ImmutableArray.CreateBuilder<JobLoadFailure>(count);
        for (var i = 0; i < count; i++)
        {
            kept.Add(failures[i]);
        }

        return new JobCatalogMessage(names.ToImmutable(), kept.MoveToImmutable());
    }

    /// <summary>Value equality, comparing the names and failures element by element.</summary>
    /// <param name="other">The message to compare with.</param>
    /// <returns>Whether every field is equal.</returns>
    public bool Equals(JobCatalogMessage? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && base.Equals(other)
            && JobNames.SequenceEqual(other.JobNames, StringComparer.Ordinal)
            && Failures.SequenceEqual(other.Failures));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(JobNames.Length, Failures.Length);

    internal override void WriteBody(ref BodyWriter writer)
    {
        writer.WriteUInt16((ushort)JobNames.Length);
        foreach (var name in JobNames)
        {
            writer.WriteString(name);
        }

        writer.WriteUInt16((ushort)Failures.Length);
        foreach (var failure in Failures)
        {
            writer.WriteByte((byte)failure.Error);
            writer.WriteString(failure.AssemblyPath);
            writer.WriteString(failure.JobName);
            writer.WriteString(failure.Detail);
        }
    }

    internal static JobCatalogMessage ReadBody(ref BodyReader reader)
    {
        // Each name takes at least its 2-byte length, so the count is checked against the bytes left before allocating.
        var nameCount = reader.ReadCount(ProtocolConstants.MaxCatalogJobs, sizeof(ushort), "JobNames");
        var names = new string[nameCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.ReadString(ProtocolConstants.MaxJobNameBytes, "JobNames");
            BodyReader.Require(names[i].Length > 0, $"JobCatalog.JobNames[{i}] is empty.");
        }

        var failureCount = reader.ReadCount(ProtocolConstants.MaxCatalogFailures, sizeof(byte) + (3 * sizeof(ushort)), "Failures");
        var failures = new JobLoadFailure[failureCount];
        for (var i = 0; i < failures.Length; i++)
        {
            var code = reader.ReadByte("Failures.Error");
            BodyReader.Require(Enum.IsDefined((JobLoadError)code), $"JobCatalog.Failures[{i}].Error {code} is not a known load error.");
            var path = reader.ReadString(ProtocolConstants.MaxAssemblyPathBytes, "Failures.AssemblyPath");
            BodyReader.Require(path.Length > 0, $"JobCatalog.Failures[{i}].AssemblyPath is empty.");
            var jobName = reader.ReadString(ProtocolConstants.MaxJobNameBytes, "Failures.JobName");
            var detail = reader.ReadString(ProtocolConstants.MaxErrorTextBytes, "Failures.Detail");
            failures[i] = new JobLoadFailure((JobLoadError)code, path, jobName, detail);
        }

        reader.EnsureEnd();
        return new JobCatalogMessage([.. names], [.. failures]);
    }
}
