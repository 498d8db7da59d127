using System.Reflection;
using SimHost.Layout.Components;

namespace SimHost.Layout.Jobs;

/// <summary>Collecting a catalog: its jobs, their component layouts and what failed to load.</summary>
public sealed partial class JobCatalog
{
    /// <summary>Collects jobs, their layouts and the failures; strict mode throws at the first failure instead.</summary>
    private sealed class Builder(bool isStrict)
    {
        private readonly Dictionary<string, IJob> _jobs = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _origins = new(StringComparer.Ordinal);
        private readonly Dictionary<ulong, ComponentLayout> _layouts = [];
        private readonly List<JobLoadFailure> _failures = [];

        public void Record(JobLoadFailure failure) => _failures.Add(failure);

        public void AddAssembly(Assembly assembly, string assemblyPath)
        {
            Type[] types;
            try
            {
                types = assembly.GetExportedTypes();
            }
            catch (Exception exception) when (exception is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
            {
                var detail = FirstLine(exception.Message);
                Fail(
                    new JobLoadFailure(JobLoadError.TypeLoadFailed, assemblyPath, string.Empty, $"its types cannot be loaded ({detail})"),
                    $"Job assembly '{assembly.GetName().Name}' references something that cannot be loaded ({detail}); put its dependencies next to it.",
                    exception);
                return;
            }

            AddTypes(types, assemblyPath);
        }

        public void AddTypes(IEnumerable<Type> types, string assemblyPath)
        {
            foreach (var type in types)
            {
                if (!type.IsClass || type.IsAbstract || !typeof(IJob).IsAssignableFrom(type) || type.GetConstructor(Type.EmptyTypes) is null)
                {
                    continue;
                }

                if (Create(type, assemblyPath) is { } job)
                {
                    Add(job, type, assemblyPath);
                }
            }
        }

        public JobCatalog Build() => new(_jobs, [.. _layouts.Values], [.. _failures]);

        private void Add(IJob job, Type type, string assemblyPath)
        {
            var origin = $"{type.FullName} ({type.Assembly.GetName().Name})";
            if (_origins.TryGetValue(job.Name, out var first))
            {
                Fail(
                    new JobLoadFailure(JobLoadError.DuplicateName, assemblyPath, job.Name, $"{origin} has the name of {first}"),
                    $"Two jobs are named '{job.Name}': {first} and {origin}; rename one.",
                    null);
                return;
            }

            var layouts = new List<ComponentLayout>();
            foreach (var componentType in job.ComponentTypes)
            {
                try
                {
                    layouts.Add(ComponentLayout.Of(componentType));
                }
                catch (ComponentLayoutException exception)
                {
                    Fail(
                        new JobLoadFailure(JobLoadError.ComponentInvalid, assemblyPath, job.Name, FirstLine(exception.Message)),
                        $"Job '{job.Name}' declares a component that cannot be shared: {exception.Message}",
                        exception);
                    return;
                }
            }

            _jobs.Add(job.Name, job);
            _origins.Add(job.Name, origin);
            foreach (var layout in layouts)
            {
                _layouts.TryAdd(layout.Hash, layout);
            }
        }

        private IJob? Create(Type type, string assemblyPath)
        {
            IJob job;
            try
            {
                job = (IJob)Activator.CreateInstance(type)!;
            }
            catch (TargetInvocationException exception)
            {
                var cause = exception.InnerException ?? exception;
                var detail = $"{type.FullName} threw from its constructor ({cause.GetType().Name}: {FirstLine(cause.Message)})";
                Fail(new JobLoadFailure(JobLoadError.JobCreationFailed, assemblyPath, string.Empty, detail), $"Job {detail}.", cause);
                return null;
            }

            if (string.IsNullOrWhiteSpace(job.Name))
            {
                Fail(
                    new JobLoadFailure(JobLoadError.JobCreationFailed, assemblyPath, string.Empty, $"{type.FullName} has an empty name"),
                    $"Job {type.FullName} has an empty name; give it a unique name such as 'mygame.step'.",
                    null);
                return null;
            }

            return job;
        }

        private void Fail(JobLoadFailure failure, string message, Exception? cause)
        {
            if (isStrict)
            {
                throw new JobCatalogException(failure, message, cause);
            }

            _failures.Add(failure);
        }
    }
}
