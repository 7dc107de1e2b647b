using System.Runtime.InteropServices;

namespace Haven.Security;

/// <summary>
/// Everything Haven writes is for its own account only: the database with its WAL and shm, keys, backups, logs. The
/// process's umask is set to 077 before anything is created (SQLite and the framework create files with 0644 less the
/// umask), and a data folder made earlier with looser modes is tightened at start.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode Folder = File | UnixFileMode.UserExecute;

    [DllImport("libc", EntryPoint = "umask")]
    static extern uint SetUmask(uint mask);

    public static void Apply(string dataDirectory)
    {
        if (OperatingSystem.IsWindows()) return;
        SetUmask(0b000_111_111); // 077
        if (!Directory.Exists(dataDirectory)) return;
        Tighten(dataDirectory, Folder);
        foreach (var entry in new DirectoryInfo(dataDirectory).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LinkTarget is not null) continue; // a link's target is not ours to change
            Tighten(entry.FullName, entry is DirectoryInfo ? Folder : File);
        }
    }

    static void Tighten(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            if ((System.IO.File.GetUnixFileMode(path) & ~mode) != 0) System.IO.File.SetUnixFileMode(path, mode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file Haven does not own (placed there by an operator) is left alone; the start goes on.
        }
    }

    /// <summary>Options for a new owner-only file.</summary>
    public static FileStreamOptions NewFile(bool overwrite)
    {
        var options = new FileStreamOptions { Mode = overwrite ? FileMode.Create : FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = File;
        return options;
    }
}
