using CsCheck;
using SimHost.Layout.Bitsets;

namespace SimHost.Tests.SharedLayout.Bitsets;

/// <summary>Random operation sequences applied to the bitset and to a plain bool[] must leave both in the same state.</summary>
public sealed class ChangedBitsetModelTests
{
    private const int Iterations = 300;

    private static readonly Gen<Scenario> s_scenarios =
        from rows in Gen.Int[1, 300]
        from ops in Gen.Select(Gen.Int[0, 5], Gen.Int[0, rows - 1], Gen.Int[0, rows], (kind, row, count) => new Op(kind, row, Math.Min(count, rows - row))).Array[0, 40]
        from subStart in Gen.Int[0, rows]
        from subEnd in Gen.Int[subStart, rows]
        select new Scenario(rows, ops, subStart, subEnd);

    private enum OpKind
    {
        Set,
        Clear,
        SetRange,
        ClearRange,
        ClearAll,
        SetRangeWholeWords,
    }

    [Test]
    public void RandomOperations_MatchABoolArrayModel()
    {
        s_scenarios.SampleSeeded(scenario =>
        {
            var words = new ulong[ChangedBitset.WordsFor(scenario.Rows)];
            var bitset = new ChangedBitset(words, scenario.Rows);
            var model = new bool[scenario.Rows];

            foreach (Op op in scenario.Ops)
            {
                Apply(op, ref bitset, model);

                // A plain comparison per step: a constraint per step would dominate the run time.
                if (bitset.Count() != CountSet(model, 0, model.Length))
                {
                    Assert.Fail($"Count {bitset.Count()} differs from the model after {op}.");
                }
            }

            AssertSameState(bitset, model, scenario);
        }, iterations: Iterations);
    }

    private static void Apply(Op op, ref ChangedBitset bitset, bool[] model)
    {
        switch ((OpKind)op.Kind)
        {
            case OpKind.Set:
                bitset.Set(op.Row);
                model[op.Row] = true;
                break;
            case OpKind.Clear:
                bitset.Clear(op.Row);
                model[op.Row] = false;
                break;
            case OpKind.SetRange:
                bitset.SetRange(op.Row, op.Count);
                Array.Fill(model, true, op.Row, op.Count);
                break;
            case OpKind.ClearRange:
                bitset.ClearRange(op.Row, op.Count);
                Array.Fill(model, false, op.Row, op.Count);
                break;
            case OpKind.ClearAll:
                bitset.ClearAll();
                Array.Clear(model);
                break;
            default:
                // A worker's range: starts on a word boundary, as the host aligns ranges.
                int start = op.Row & ~63;
                int count = Math.Min(op.Count, model.Length - start);
                bitset.SetRange(start, count);
                Array.Fill(model, true, start, count);
                break;
        }
    }

    private static void AssertSameState(ChangedBitset bitset, bool[] model, Scenario scenario)
    {
        var actual = new bool[model.Length];
        for (int row = 0; row < model.Length; row++)
        {
            actual[row] = bitset.IsSet(row);
        }

        Assert.That(actual, Is.EqualTo(model));

        var expectedRows = new List<int>();
        for (int row = 0; row < model.Length; row++)
        {
            if (model[row])
            {
                expectedRows.Add(row);
            }
        }

        Assert.That(Rows(bitset.GetEnumerator()), Is.EqualTo(expectedRows));
        Assert.That(Rows(bitset.AsReadOnly().GetEnumerator()), Is.EqualTo(expectedRows));
        Assert.That(Rows(bitset.SetBits(scenario.SubStart, scenario.SubEnd)), Is.EqualTo(expectedRows.FindAll(r => r >= scenario.SubStart && r < scenario.SubEnd)));
        Assert.That(bitset.AsReadOnly().Count(), Is.EqualTo(expectedRows.Count));

        var actualWords = new (bool Full, bool Empty)[bitset.WordCount];
        var expectedWords = new (bool Full, bool Empty)[bitset.WordCount];
        for (int word = 0; word < bitset.WordCount; word++)
        {
            int first = word * 64;
            int length = Math.Min(64, model.Length - first);
            int set = CountSet(model, first, length);
            actualWords[word] = (bitset.IsWordFull(word), bitset.IsWordEmpty(word));
            expectedWords[word] = (set == length, set == 0);
        }

        Assert.That(actualWords, Is.EqualTo(expectedWords));
    }

    private static int CountSet(bool[] model, int start, int length)
    {
        int count = 0;
        for (int i = start; i < start + length; i++)
        {
            count += model[i] ? 1 : 0;
        }

        return count;
    }

    private static List<int> Rows(SetBitEnumerator enumerator)
    {
        var rows = new List<int>();
        foreach (int row in enumerator)
        {
            rows.Add(row);
        }

        return rows;
    }

    private readonly record struct Op(int Kind, int Row, int Count)
    {
        public override string ToString() => $"{(OpKind)Kind}({Row}, {Count})";
    }

    private sealed record Scenario(int Rows, Op[] Ops, int SubStart, int SubEnd);
}
