using BenchmarkDotNet.Running;
using SimHost.Benchmarks.Configuration;

namespace SimHost.Benchmarks;

/// <summary>
/// Runs the suite with BenchmarkDotNet's command line (<c>--filter</c>, <c>--list</c>, ...). <c>--short</c> or
/// <c>SIMHOST_BENCH_SHORT=1</c> selects the quick in-process job that <c>scripts/bench.sh</c> uses; <c>chart</c> draws
/// the scaling chart from existing reports.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        // `chart <results-dir> <png>` draws docs/benchmarks/scaling.png from finished reports instead of benchmarking.
        if (args.Length > 0 && args[0] == "chart")
        {
            if (args.Length != 3)
            {
                Console.Error.WriteLine("usage: chart <BenchmarkDotNet results directory> <output.png>");
                return 2;
            }

            return Charts.ScalingChart.Run(args[1], args[2]);
        }

        bool isShort = Environment.GetEnvironmentVariable(SuiteConfig.ShortEnvironmentVariable) == "1";
        var forwarded = new List<string>(args.Length);
        foreach (string arg in args)
        {
            // BenchmarkDotNet rejects options it does not know, so ours is taken out before it parses the rest.
            if (arg == SuiteConfig.ShortOption)
            {
                isShort = true;
            }
            else
            {
                forwarded.Add(arg);
            }
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. forwarded], SuiteConfig.Create(isShort));
        return 0;
    }
}
