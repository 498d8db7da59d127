using BenchmarkDotNet.Running;
using SimHost.Benchmarks.Configuration;

namespace SimHost.Benchmarks;

/// <summary>
/// Runs the suite with BenchmarkDotNet's command line (<c>--filter</c>, <c>--list</c>, ...). <c>--quick</c> measures
/// the performance targets only with a minimal in-process job (the default of <c>scripts/bench.sh</c>); <c>--short</c>
/// or <c>SIMHOST_BENCH_SHORT=1</c> the in-process short job over every parameter; <c>chart</c> draws the scaling chart
/// from existing reports.
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

        var mode = Environment.GetEnvironmentVariable(SuiteConfig.ShortEnvironmentVariable) == "1" ? SuiteMode.ShortJob : SuiteMode.Full;
        var forwarded = new List<string>(args.Length);
        foreach (string arg in args)
        {
            // BenchmarkDotNet rejects options it does not know, so ours are taken out before it parses the rest.
            if (arg == SuiteConfig.ShortOption)
            {
                mode = SuiteMode.ShortJob;
            }
            else if (arg == SuiteConfig.QuickOption)
            {
                mode = SuiteMode.Quick;
            }
            else
            {
                forwarded.Add(arg);
            }
        }

        // Set before discovery: the classes' ParamsSource members read it to pick their parameter values.
        SuiteParameters.Mode = mode;
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. forwarded], SuiteConfig.Create(mode));
        return 0;
    }
}
