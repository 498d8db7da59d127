using System.Runtime.Loader;
using SimHost.Host.Modules;
using SimHost.Layout.Jobs;
using SimHost.Tests.Samples.Support;

namespace SimHost.Tests.Samples.Modules;

public sealed class ModuleLoaderTests
{
    private static readonly string[] s_grazerJobs = ["grazers.regrow", "grazers.wander"];

    [Test]
    public void Load_CreatesTheOneModuleOfAnAssembly_FromItsOwnOutputFolder()
    {
        var path = SamplePaths.GrazersModule;

        var module = ModuleLoader.Load(path);

        Assert.Multiple(() =>
        {
            Assert.That(module.Name, Is.EqualTo("grazers"));
            Assert.That(module.JobAssemblyPaths(), Is.EqualTo(new[] { path }));
            Assert.That(AssemblyLoadContext.GetLoadContext(module.GetType().Assembly), Is.Not.EqualTo(AssemblyLoadContext.Default), "loaded in its own context, with its dependencies");
            Assert.That(module.LoadJobs().Names, Is.EqualTo(s_grazerJobs));
        });
    }

    [Test]
    public void Load_RefusesAnAssemblyWithNoModule_NamingItAndTheFix()
    {
        var path = typeof(IJob).Assembly.Location;

        var error = Assert.Throws<ModuleLoadException>(() => ModuleLoader.Load(path));

        Assert.That(error!.Message, Is.EqualTo($"module '{path}' has no public module class; add one (public sealed class MySimulation : SimulationModule) or give the path of the assembly that has it."));
    }

    [Test]
    public void Load_RefusesAnAssemblyWithTwoModules_NamingBoth()
    {
        var path = typeof(ModuleLoaderTests).Assembly.Location;

        var error = Assert.Throws<ModuleLoadException>(() => ModuleLoader.Load(path));

        Assert.That(error!.Message, Is.EqualTo(
            $"module '{path}' has 2 module classes ({typeof(EmptyModule).FullName}, {typeof(HerdTestModule).FullName}); keep one public SimulationModule per assembly (make the others internal or move them)."));
    }

    [Test]
    public void Load_RefusesAMissingFile_InOneLine()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-module.dll");

        var error = Assert.Throws<ModuleLoadException>(() => ModuleLoader.Load(path));

        Assert.That(error!.Message, Does.StartWith($"module '{path}': ").And.Contain("does not exist").And.Not.Contain('\n'));
    }
}
