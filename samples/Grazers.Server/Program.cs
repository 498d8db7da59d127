// The grazers module in a host program of your own: the .NET Generic Host runs the simulation as a background
// service beside whatever else the program serves, logs through ILogger and publishes metrics on the SimHost meter.
//
//   dotnet run --project samples/Grazers.Server -c Release -- --frames 600 --workers 2 --herd 20000
//
// Every module parameter can be set by name (--herd, --field, --grass-growth, --birth-energy).
using Grazers;
using Grazers.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SimHost.Host.Modules;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.Configure<ServerOptions>(builder.Configuration);
builder.Services.AddSingleton<SimulationMetrics>();
builder.Services.AddSingleton(_ =>
{
    // The module's parameters come from configuration under their own names; a bad value is one line and exit code 2.
    var module = new GrazersModule();
    var settings = builder.Configuration.Get<ServerOptions>() ?? new ServerOptions();
    var assignments = module.Parameters
        .Where(parameter => builder.Configuration[parameter.Name] is not null)
        .Select(parameter => $"{parameter.Name}={builder.Configuration[parameter.Name]}");
    return ModuleContext.For(module, settings.Seed, parameters: assignments);
});
builder.Services.AddHostedService<SimulationService>();

using var host = builder.Build();
try
{
    _ = host.Services.GetRequiredService<ModuleContext>();
}
catch (ModuleParameterException exception)
{
    await Console.Error.WriteLineAsync($"Grazers.Server: {exception.Message}");
    return 2;
}

await host.RunAsync();
return 0;
