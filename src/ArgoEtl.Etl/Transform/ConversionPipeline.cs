using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Output;
using nietras.SeparatedValues;

namespace ArgoEtl.Etl.Transform;

/// <summary>
/// Converts the file's readers (its chunks) on several workers and writes the results in file order. One thread cuts
/// the input into chunks; each worker parses a chunk and encodes it (Parquet row groups are compressed there too, the
/// largest cost); the calling thread writes each chunk's pieces to the output, passes its rejects on, and throws the
/// first error of the file: a later chunk's error waits until every chunk before it has been written, so the error
/// reported is the one a front-to-back reader would have met first. Memory is bounded by the chunks in flight, a few
/// per worker, whatever the file size.
/// </summary>
internal static class ConversionPipeline
{
    /// <summary>One reader's worth of the input and, once a worker has it, what it converted to.</summary>
    public sealed class ReaderWork
    {
        private readonly Func<Utf8ChunkReader, SepReader>? _open;
        private readonly Action? _release;

        /// <param name="open">Opens the reader, given the worker's decoder for chunk text.</param>
        public ReaderWork(Func<Utf8ChunkReader, SepReader> open, LineMapping lines, Action release)
        {
            _open = open;
            Lines = lines;
            _release = release;
        }

        private ReaderWork(Exception sourceError) => SourceError = sourceError;

        public static ReaderWork Failed(Exception sourceError) => new(sourceError);

        public LineMapping Lines { get; }

        /// <summary>Reading the input itself failed here; nothing after this point exists.</summary>
        public Exception? SourceError { get; }

        // Two pieces ahead at most: a worker that runs ahead of the writer waits instead of holding more output.
        public BlockingCollection<ConvertedPiece> Pieces { get; } = new(2);

        public SepReader Open(Utf8ChunkReader text) => _open!(text);

        public void Release() => _release?.Invoke();
    }

    public readonly record struct Totals(long Rows, long Rejected);

    /// <param name="sources">Enumerated on a thread of its own, in file order; each item is converted by one worker.</param>
    public static Totals Run(IEnumerable<ReaderWork> sources, int workers, RowLoop loop, Func<IRowEncoder> newEncoder, IOutputAssembler assembler,
        int width, TransformOptions options, string sourceName, IRejectSink? rejects, Action<long>? onRows, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var ordered = new BlockingCollection<ReaderWork>(workers);
        using var waiting = new BlockingCollection<ReaderWork>();

        var producing = Task.Factory.StartNew(() => Produce(sources, ordered, waiting, stop.Token), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var converting = Enumerable.Range(0, workers).Select(_ => Task.Factory.StartNew(
            () => Convert(waiting, loop, newEncoder, stop), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        try
        {
            var totals = Assemble(ordered, assembler, width, options, sourceName, rejects, onRows, stop.Token);
            try
            {
                Task.WaitAll([producing, .. converting], CancellationToken.None);
            }
            catch (AggregateException ex) when (ex.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) is { } cause)
            {
                // A worker that failed to start after the others had done all the work: still a failure, and its own.
                ExceptionDispatchInfo.Capture(cause).Throw();
            }

            return totals;
        }
        catch (Exception ex)
        {
            stop.Cancel();
            try
            {
                Task.WaitAll([producing, .. converting], CancellationToken.None);
            }
            catch (AggregateException)
            {
                // Workers stopped by the cancel; the cause is what is being thrown, or a worker's failure below.
            }

            // The writer only saw the stop a failed worker made: that failure explains the run.
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested
                && converting.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) is { } cause)
            {
                ExceptionDispatchInfo.Capture(cause).Throw();
            }

            throw;
        }
    }

    private static void Produce(IEnumerable<ReaderWork> sources, BlockingCollection<ReaderWork> ordered, BlockingCollection<ReaderWork> waiting, CancellationToken stop)
    {
        try
        {
            foreach (var work in sources)
            {
                ordered.Add(work, stop);
                waiting.Add(work, stop);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            try
            {
                ordered.Add(ReaderWork.Failed(ex), stop);
            }
            catch (OperationCanceledException)
            {
                // The writer has already stopped, for a reason of its own that it is reporting.
            }
        }
        finally
        {
            ordered.CompleteAdding();
            waiting.CompleteAdding();
        }
    }

    private static void Convert(BlockingCollection<ReaderWork> waiting, RowLoop loop, Func<IRowEncoder> newEncoder, CancellationTokenSource stop)
    {
        try
        {
            using var encoder = newEncoder();
            using var text = new Utf8ChunkReader();
            foreach (var work in waiting.GetConsumingEnumerable(stop.Token))
            {
                try
                {
                    using var reader = work.Open(text);
                    loop.Run(reader, work.Lines, encoder, piece => work.Pieces.Add(piece, stop.Token), stop.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Opening the reader failed (its first read of the chunk); the writer reports it in its place.
                    work.Pieces.Add(new ConvertedPiece { Error = ex, IsLast = true }, stop.Token);
                }
                finally
                {
                    work.Release();
                    work.Pieces.CompleteAdding();
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A worker that cannot go on at all (its encoder did not start): the chunks it would have taken would
            // never be written, so the run stops, and Run reports this as the cause.
            stop.Cancel();
            throw;
        }
    }

    private static Totals Assemble(BlockingCollection<ReaderWork> ordered, IOutputAssembler assembler, int width, TransformOptions options,
        string sourceName, IRejectSink? rejects, Action<long>? onRows, CancellationToken stop)
    {
        long rows = 0;
        long rejected = 0;

        // Blank lines that ended the chunks so far: skipped if the file ends here, bad rows if anything follows.
        int blankLines = 0;
        int firstBlankLine = 0;
        var blankRejects = new List<RejectedRow>();
        foreach (var work in ordered.GetConsumingEnumerable(stop))
        {
            if (work.SourceError is { } sourceError)
            {
                ExceptionDispatchInfo.Capture(sourceError).Throw();
            }

            foreach (var piece in work.Pieces.GetConsumingEnumerable(stop))
            {
                if (blankLines > 0 && (piece.HasContent || piece.Error is not null))
                {
                    blankRejects.Clear();
                    RowLoop.RejectBlankLines(blankLines, firstBlankLine, width, options, sourceName, blankRejects);
                    rejected += Pass(blankRejects, rejects);
                    blankLines = 0;
                }

                rejected += Pass(piece.Rejects, rejects);
                if (piece.Error is { } error)
                {
                    ExceptionDispatchInfo.Capture(error).Throw();
                }

                if (piece.Encoded is { } encoded)
                {
                    try
                    {
                        assembler.AppendAsync(encoded, stop).AsTask().GetAwaiter().GetResult();
                    }
                    finally
                    {
                        encoded.Release();
                    }

                    rows += encoded.Rows;
                    onRows?.Invoke(rows);
                }

                if (piece.IsLast && piece.TrailingBlankLines > 0)
                {
                    firstBlankLine = blankLines == 0 ? piece.FirstTrailingBlankLine : firstBlankLine;
                    blankLines += piece.TrailingBlankLines;
                }
            }
        }

        assembler.CompleteAsync(stop).AsTask().GetAwaiter().GetResult();
        onRows?.Invoke(rows);
        return new Totals(rows, rejected);
    }

    private static int Pass(List<RejectedRow> found, IRejectSink? rejects)
    {
        foreach (var row in found)
        {
            rejects?.Reject(row.Line, row.Column, row.Reason, row.RowText);
        }

        return found.Count;
    }
}
