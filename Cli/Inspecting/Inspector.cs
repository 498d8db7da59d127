using SimHost.Host.Persistence;
using SimHost.Layout.Segments;

namespace SimHost.Host.Inspecting;

/// <summary>
/// Reads a checkpoint directory, a directory of checkpoints, a single segment file or a live run directory, and
/// checks every rule it can without loading anything: the manifest's own hash, each listed file's presence, length
/// and XxHash128, each segment's header and column table (docs/segment-format.md), each segment's agreement with the
/// manifest and the world's consistency. Every failure becomes an <see cref="InspectionProblem"/>.
/// </summary>
internal static class Inspector
{
    // A rotation's deletion takes milliseconds (a checkpoint is a handful of files); half a second is far beyond it.
    private const int RemovalLooks = 10;
    private static readonly TimeSpan s_removalLookInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Inspects <paramref name="path"/>.</summary>
    /// <exception cref="Running.UsageException">The path does not exist.</exception>
    public static InspectionReport Inspect(string path) => Inspect(path, beforeEachCheckpoint: null);

    /// <summary>Inspects <paramref name="path"/>, calling <paramref name="beforeEachCheckpoint"/> with each checkpoint of a folder before it is inspected (tests: a rotation meanwhile).</summary>
    /// <exception cref="Running.UsageException">The path does not exist.</exception>
    internal static InspectionReport Inspect(string path, Action<string>? beforeEachCheckpoint)
    {
        if (File.Exists(path))
        {
            var single = new InspectionReport(path, "segment");
            InspectSegmentFile(single, path);
            return single;
        }

        if (!Directory.Exists(path))
        {
            throw new Running.UsageException($"inspect: '{path}' is neither a file nor a directory; give a checkpoint directory, a segment file or a run directory.");
        }

        if (File.Exists(Path.Combine(path, CheckpointFileNames.Manifest)))
        {
            var checkpoint = new InspectionReport(path, "checkpoint");
            InspectCheckpoint(checkpoint, path);
            return checkpoint;
        }

        // A checkpoint's folder without its manifest is a damaged checkpoint, not a run directory of loose segments.
        if (IsCheckpointFolder(path))
        {
            var damaged = new InspectionReport(path, "checkpoint");
            InspectCheckpoint(damaged, path);
            return damaged;
        }

        var checkpoints = CheckpointStore.List(path);
        if (checkpoints.Count > 0)
        {
            var report = new InspectionReport(path, "checkpoint-directory");
            foreach (var (_, directory) in checkpoints)
            {
                beforeEachCheckpoint?.Invoke(directory);
                var one = new InspectionReport(path, "checkpoint-directory");
                InspectCheckpoint(one, directory);
                if (one.Problems.Count > 0 && IsRemovedByItsRun(directory))
                {
                    report.RemovedWhileInspected.Add(Path.GetFileName(directory));
                    continue;
                }

                report.Add(one);
            }

            return report;
        }

        var run = new InspectionReport(path, "run-directory");
        foreach (var file in Directory.EnumerateFiles(path, "*.seg").Order(StringComparer.Ordinal))
        {
            InspectSegmentFile(run, file);
        }

        if (run.Segments.Count == 0 && run.Problems.Count == 0)
        {
            throw new Running.UsageException($"inspect: '{path}' holds no checkpoint (no manifest, no checkpoint-NNNNNNNNNNNN) and no .seg file.");
        }

        return run;
    }

    /// <summary>
    /// Whether a checkpoint that failed its inspection is being removed by the run writing the folder: its rotation
    /// renames the oldest checkpoint to a hidden spare, or deletes it file by file, while a damaged checkpoint stays as
    /// it is. So a checkpoint that is gone, or goes within a short wait, was removed, not damaged: a monitoring job
    /// inspecting a live folder raises no false alarm, and a damaged checkpoint is still reported after the wait.
    /// </summary>
    private static bool IsRemovedByItsRun(string directory)
    {
        for (var look = 0; look < RemovalLooks; look++)
        {
            if (!Directory.Exists(directory))
            {
                return true;
            }

            Thread.Sleep(s_removalLookInterval);
        }

        return !Directory.Exists(directory);
    }

    private static bool IsCheckpointFolder(string path) =>
        CheckpointStore.IsCheckpointName(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path))))
        || File.Exists(Path.Combine(path, CheckpointFileNames.EntityTable));

    private static void InspectCheckpoint(InspectionReport report, string directory)
    {
        var name = Path.GetFileName(directory);
        if (!File.Exists(Path.Combine(directory, CheckpointFileNames.Manifest)))
        {
            report.Problems.Add(new InspectionProblem(
                $"{name}/{CheckpointFileNames.Manifest}",
                nameof(CheckpointError.MissingManifest),
                "is missing: the checkpoint is damaged (a complete one always has its manifest); move it aside"));
            return;
        }

        CheckpointManifest manifest;
        try
        {
            manifest = CheckpointManifest.Decode(File.ReadAllBytes(Path.Combine(directory, CheckpointFileNames.Manifest)));
        }
        catch (CheckpointException exception)
        {
            report.Problems.Add(new InspectionProblem($"{name}/{exception.FileName}", exception.Error.ToString(), exception.Message));
            return;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            report.Problems.Add(new InspectionProblem($"{name}/{CheckpointFileNames.Manifest}", nameof(CheckpointError.Unreadable), exception.Message));
            return;
        }

        report.Checkpoints.Add((directory, manifest));
        var problemsBefore = report.Problems.Count;
        foreach (var file in manifest.Files)
        {
            var filePath = Path.Combine(directory, file.Name);
            try
            {
                if (!File.Exists(filePath))
                {
                    throw new CheckpointException(CheckpointError.MissingFile, file.Name, "is listed in the manifest but missing");
                }

                // The length first, without opening: a file of the wrong length is reported as such, and one that is no
                // regular file (a FIFO's open would wait for a writer forever) shows length 0.
                var length = new FileInfo(filePath).Length;
                if (length != file.LengthBytes)
                {
                    throw CheckpointFiles.LengthMismatch(file, length);
                }

                var bytes = File.ReadAllBytes(filePath);
                CheckpointFiles.Verify(file, bytes);
                var (header, plan) = CheckpointSegment.Read(file.Name, bytes, CheckpointSegment.FrameOf(manifest));
                report.Segments.Add(Summary($"{name}/{file.Name}", bytes.Length, header, plan));
            }
            catch (CheckpointException exception)
            {
                report.Problems.Add(new InspectionProblem($"{name}/{file.Name}", exception.Error.ToString(), exception.Message));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                report.Problems.Add(new InspectionProblem($"{name}/{file.Name}", nameof(CheckpointError.Unreadable), exception.Message));
            }
        }

        if (report.Problems.Count == problemsBefore)
        {
            // Every file checks out on its own: now whether they agree with the manifest and form one world.
            try
            {
                CheckpointFiles.ReadDirectory(directory);
            }
            catch (CheckpointException exception)
            {
                report.Problems.Add(new InspectionProblem($"{name}/{exception.FileName}", exception.Error.ToString(), exception.Message));
            }
        }
    }

    private static void InspectSegmentFile(InspectionReport report, string path)
    {
        var name = Path.GetFileName(path);
        try
        {
            // Too short for a header is said without opening the file: a FIFO or a device shows length 0, and opening a
            // FIFO would wait for a writer forever.
            var fileLength = new FileInfo(path).Length;
            if (fileLength < SegmentFormat.HeaderSizeBytes)
            {
                // The format's own rule and message (Truncated), thrown to the catch below.
                _ = SegmentValidator.ValidateHeader(name, fileLength, []);
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var length = stream.Length;
            var head = new byte[Math.Min(length, SegmentFormat.HeaderSizeBytes)];
            stream.ReadExactly(head);
            var header = SegmentValidator.ValidateHeader(name, length, head);
            var table = new byte[(int)header.ColumnCount * SegmentFormat.ColumnEntrySizeBytes];
            stream.Position = (long)header.ColumnTableOffset;
            stream.ReadExactly(table);
            var plan = SegmentValidator.ValidateTable(name, header, table, expected: null);
            report.Segments.Add(Summary(name, length, header, plan));
        }
        catch (SegmentFormatException exception)
        {
            report.Problems.Add(new InspectionProblem(name, exception.Error.ToString(), exception.Message));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            report.Problems.Add(new InspectionProblem(name, nameof(SegmentError.Unreadable), exception.Message));
        }
    }

    private static SegmentSummary Summary(string file, long length, SegmentHeader header, SegmentPlan plan)
    {
        var columns = new SegmentColumnSummary[plan.ColumnCount];
        for (var i = 0; i < columns.Length; i++)
        {
            var column = plan.Column(i);
            columns[i] = new SegmentColumnSummary(column.ComponentId, column.ElementSizeBytes, column.LayoutHash);
        }

        return new SegmentSummary(file, length, header.RowCount, header.RowCapacity, header.FrameId, header.CombinedLayoutHash, columns);
    }
}
