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
    /// <summary>Inspects <paramref name="path"/>.</summary>
    /// <exception cref="Running.UsageException">The path does not exist.</exception>
    public static InspectionReport Inspect(string path)
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
                InspectCheckpoint(report, directory);
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
