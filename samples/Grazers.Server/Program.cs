// The grazers module in a host program of your own: the .NET Generic Host runs the simulation as a background
// service beside whatever else the program serves and logs through ILogger; the library reports to the SimHost meter.
//
//   dotnet run --project samples/Grazers.Server -c Release -- --frames 600 --workers 2 --entities 20000
//
// --entities is the starting herd (the field's cells come on top); every module parameter can be set by name (--field,
// --grass-growth, --birth-energy); --help lists them.
using Grazers;
using Grazers.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The command line is checked whole before the host is built: an unknown option or a bad value is one line on stderr
// naming the option and what it takes, exit code 2, and nothing has started.
var module = new GrazersModule();
var commandLine = new ServerCommandLine(module);
var parsed = commandLine.Command.Parse(args);
if (parsed.Errors.Count > 0)
{
    await Console.Error.WriteLineAsync($"Grazers.Server: {parsed.Errors[0].Message} (see 'Grazers.Server --help')");
    return 2;
}

if (parsed.Action is not null)
{
    return await parsed.InvokeAsync(); // --help or --version
}

// The host is given no args: the command line is the server's own, read above.
var builder = Host.CreateApplicationBuilder();
builder.Services.AddSingleton(commandLine.Options(parsed));
builder.Services.AddSingleton(commandLine.Context(parsed));
builder.Services.AddHostedService<SimulationService>();

using var host = builder.Build();
await host.RunAsync();

// 0, or 1 when the simulation failed after the start (SimulationService sets it; the host alone would exit 0).
return Environment.ExitCode;
