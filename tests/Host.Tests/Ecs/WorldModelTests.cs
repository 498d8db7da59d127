using CsCheck;
using SimHost.Host.Ecs;

namespace SimHost.Tests.Host.Ecs;

/// <summary>
/// Random operation sequences applied to the world and to a dictionary model, compared after every sequence.
/// </summary>
public class WorldModelTests
{
    private static readonly Gen<(int Kind, int A, int B)[]> s_operations =
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, 1000], Gen.Int[0, 1000]).Array[1, 80];

    [Test]
    public void World_MatchesDictionaryModel_UnderRandomOperations() =>
        s_operations.SampleSeeded(operations => new ModelRun().Apply(operations), iterations: 300);

    private sealed class ModelRun
    {
        private readonly World _world = new();
        private readonly Dictionary<Entity, Dictionary<Type, object>> _model = [];
        private readonly List<Entity> _known = [];

        public void Apply((int Kind, int A, int B)[] operations)
        {
            foreach ((int kind, int a, int b) in operations)
            {
                switch (kind)
                {
                    case 0:
                    case 1:
                        CreateWith(a, b);
                        break;
                    case 2:
                        DestroyAny(a);
                        break;
                    case 3:
                        AddTo(Pick(a), b);
                        break;
                    case 4:
                        RemoveFrom(Pick(a), b);
                        break;
                    case 5:
                        SetOn(Pick(a), b);
                        break;
                    case 6:
                        RecordAndPlayBack(a, b);
                        break;
                    case 7:
                        CreateManyWith(a, b);
                        break;
                    default:
                        _world.AdvanceTick();
                        break;
                }
            }

            Compare();
        }

        private static object Value(int component, int value) => (component % 3) switch
        {
            0 => new Health(value),
            1 => new Mass(value * 1_000_000_007L),
            _ => new Position(value, -value),
        };

        private static void AddTo(World world, Entity entity, object value)
        {
            switch (value)
            {
                case Health health:
                    world.Add(entity, health);
                    break;
                case Mass mass:
                    world.Add(entity, mass);
                    break;
                default:
                    world.Add(entity, (Position)value);
                    break;
            }
        }

        private Entity Pick(int a) => _known.Count == 0 ? Entity.Null : _known[a % _known.Count];

        private void CreateWith(int a, int b)
        {
            Entity entity = (a % 4) switch
            {
                0 => _world.Create(),
                1 => _world.Create(new Health(b)),
                2 => _world.Create(new Health(b), new Mass(b * 1_000_000_007L)),
                _ => _world.Create(new Mass(b * 1_000_000_007L), new Position(b, -b)),
            };
            var components = new Dictionary<Type, object>();
            if (a % 4 is 1 or 2)
            {
                components[typeof(Health)] = new Health(b);
            }

            if (a % 4 is 2 or 3)
            {
                components[typeof(Mass)] = new Mass(b * 1_000_000_007L);
            }

            if (a % 4 == 3)
            {
                components[typeof(Position)] = new Position(b, -b);
            }

            Track(entity, components);
        }

        private void CreateManyWith(int a, int b)
        {
            Blueprint blueprint = _world.Blueprint().With(new Health(b));
            if (a % 2 == 0)
            {
                blueprint.With(new Position(b, -b));
            }

            foreach (Entity entity in _world.CreateMany(a % 5, blueprint).Entities.ToArray())
            {
                var components = new Dictionary<Type, object> { [typeof(Health)] = new Health(b) };
                if (a % 2 == 0)
                {
                    components[typeof(Position)] = new Position(b, -b);
                }

                Track(entity, components);
            }
        }

        private void Track(Entity entity, Dictionary<Type, object> components)
        {
            Assert.That(_model.ContainsKey(entity), Is.False, "a live handle was issued twice");
            _model[entity] = components;
            _known.Add(entity);
        }

        private void DestroyAny(int a)
        {
            Entity entity = Pick(a);
            if (_model.Remove(entity))
            {
                _world.Destroy(entity);
            }
            else
            {
                Assert.That(() => _world.Destroy(entity), Throws.InvalidOperationException);
            }
        }

        private void AddTo(Entity entity, int b)
        {
            object value = Value(b, b);
            if (_model.TryGetValue(entity, out Dictionary<Type, object>? components))
            {
                AddTo(_world, entity, value);
                components[value.GetType()] = value;
            }
            else
            {
                Assert.That(() => AddTo(_world, entity, value), Throws.InvalidOperationException);
            }
        }

        private void RemoveFrom(Entity entity, int b)
        {
            if (!_model.TryGetValue(entity, out Dictionary<Type, object>? components))
            {
                return;
            }

            bool removed = (b % 3) switch
            {
                0 => _world.Remove<Health>(entity),
                1 => _world.Remove<Mass>(entity),
                _ => _world.Remove<Position>(entity),
            };
            Assert.That(removed, Is.EqualTo(components.Remove(Value(b, 0).GetType())));
        }

        private void SetOn(Entity entity, int b)
        {
            if (!_model.TryGetValue(entity, out Dictionary<Type, object>? components)
                || !components.ContainsKey(typeof(Health)))
            {
                Assert.That(() => _world.Set(entity, new Health(b)), Throws.InvalidOperationException);
                return;
            }

            _world.Set(entity, new Health(b));
            components[typeof(Health)] = new Health(b);
        }

        /// <summary>
        /// Records a few commands, applying each to the model at once under the placeholder's key, then renames the
        /// placeholders to the entities the playback created.
        /// </summary>
        private void RecordAndPlayBack(int a, int b)
        {
            var commands = new CommandBuffer();
            var placeholders = new List<Entity>();
            int count = (a % 6) + 1;
            for (int i = 0; i < count; i++)
            {
                int pick = (a * 31) + (b * 17) + i;
                Entity target = placeholders.Count > 0 && pick % 2 == 0 ? placeholders[pick % placeholders.Count] : Pick(pick);
                Dictionary<Type, object>? components = _model.GetValueOrDefault(target);
                switch ((b + i) % 5)
                {
                    case 0:
                        Entity created = commands.Create();
                        placeholders.Add(created);
                        _model[created] = [];
                        break;
                    case 1 when !target.IsNull:
                        commands.Destroy(target);
                        _model.Remove(target);
                        break;
                    case 2 when !target.IsNull:
                        commands.Add(target, new Mass(pick));
                        components?[typeof(Mass)] = new Mass(pick);
                        break;
                    case 3 when !target.IsNull:
                        commands.Remove<Mass>(target);
                        components?.Remove(typeof(Mass));
                        break;
                    case 4 when components is not null && components.ContainsKey(typeof(Mass)):
                        commands.Set(target, new Mass(-pick));
                        components[typeof(Mass)] = new Mass(-pick);
                        break;
                }
            }

            commands.Playback(_world);
            foreach (Entity placeholder in placeholders)
            {
                Entity entity = commands.Resolve(placeholder);
                _known.Add(entity);
                if (_model.Remove(placeholder, out Dictionary<Type, object>? components))
                {
                    Assert.That(_model.ContainsKey(entity), Is.False, "a live handle was issued twice");
                    _model[entity] = components;
                }
            }
        }

        private void Compare()
        {
            Assert.That(_world.EntityCount, Is.EqualTo(_model.Count));
            foreach (Entity entity in _known)
            {
                bool alive = _model.TryGetValue(entity, out Dictionary<Type, object>? components);
                Assert.That(_world.IsAlive(entity), Is.EqualTo(alive), $"{entity} alive");
                if (!alive)
                {
                    continue;
                }

                Assert.That(_world.Has<Health>(entity), Is.EqualTo(components!.ContainsKey(typeof(Health))));
                Assert.That(_world.Has<Mass>(entity), Is.EqualTo(components.ContainsKey(typeof(Mass))));
                Assert.That(_world.Has<Position>(entity), Is.EqualTo(components.ContainsKey(typeof(Position))));
                if (components.TryGetValue(typeof(Health), out object? health))
                {
                    Assert.That(_world.Get<Health>(entity), Is.EqualTo(health));
                }

                if (components.TryGetValue(typeof(Mass), out object? mass))
                {
                    Assert.That(_world.Get<Mass>(entity), Is.EqualTo(mass));
                }

                if (components.TryGetValue(typeof(Position), out object? position))
                {
                    Assert.That(_world.Get<Position>(entity), Is.EqualTo(position));
                }
            }

            int withHealthNoMass = 0;
            foreach (Dictionary<Type, object> components in _model.Values)
            {
                if (components.ContainsKey(typeof(Health)) && !components.ContainsKey(typeof(Mass)))
                {
                    withHealthNoMass++;
                }
            }

            Assert.That(_world.Query().All<Health>().None<Mass>().Count, Is.EqualTo(withHealthNoMass));
            Assert.That(_world.Query().Count, Is.EqualTo(_model.Count));
        }
    }
}
