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
        Tighten(dataDirectory);
        foreach (var entry in new DirectoryInfo(dataDirectory).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LinkTarget is not null) continue; // a link's target is not ours to change
            Tighten(entry.FullName);
        }
    }

    /// <summary>Takes away what group and others may do; the owner's own bits (a script's execute bit) stay.</summary>
    static void Tighten(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.SetGroup | UnixFileMode.SetUser;
        try
        {
            var mode = System.IO.File.GetUnixFileMode(path);
            if ((mode & others) != 0) System.IO.File.SetUnixFileMode(path, mode & ~others);
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
