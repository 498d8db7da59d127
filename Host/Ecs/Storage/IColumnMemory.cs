namespace SimHost.Host.Ecs;

/// <summary>
/// Where a column's values live when they are not a managed array: memory owned by someone else (a mapped segment)
/// that may move, so it tells the column its address with <see cref="Column.Bind"/> whenever it does.
/// </summary>
internal interface IColumnMemory
{
    /// <summary>Registers <paramref name="column"/> and binds it to memory for at least <paramref name="rowCapacity"/> rows.</summary>
    void Attach(Column column, int rowCapacity);

    /// <summary>Makes room for <paramref name="rowCapacity"/> rows, keeping the first <paramref name="keepRows"/> of every attached column.</summary>
    void EnsureCapacity(int rowCapacity, int keepRows);
}
