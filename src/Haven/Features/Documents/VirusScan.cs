using System.Diagnostics;

namespace Haven.Features.Documents;

/// <summary>
/// The virus-scan hook: a no-op unless <c>Documents:ScanCommand</c> names a program (for example
/// <c>clamdscan --no-summary -</c>). The file goes to the program's standard input; exit code 0 means clean,
/// 1 means a threat was found, anything else (or no answer within a minute) means the file could not be checked.
/// Either way a file that is not known to be clean is not stored.
/// </summary>
public sealed class VirusScan(IConfiguration configuration)
{
    public async Task<string?> ProblemAsync(byte[] content, CancellationToken ct)
    {
        var command = configuration["Documents:ScanCommand"];
        if (string.IsNullOrWhiteSpace(command)) return null;
        var parts = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = new ProcessStartInfo(parts[0]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in parts.Skip(1)) start.ArgumentList.Add(argument);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.StandardInput.BaseStream.WriteAsync(content, timeout.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
            await Task.WhenAll(output, errors);
            return process.ExitCode switch
            {
                0 => null,
                1 => "The virus scanner found a threat in this file. It was not stored.",
                var code => $"The virus scanner could not check this file (exit code {code}). It was not stored; try again or ask your administrator.",
            };
        }
        catch (Exception e) when (e is OperationCanceledException or System.ComponentModel.Win32Exception or IOException)
        {
            return "The virus scanner could not check this file. It was not stored; try again or ask your administrator.";
        }
    }
}
