using Haven;
using Haven.Features.Operations;

if (Cli.IsCommand(args)) return await Cli.RunAsync(args);

try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        builder.WebHost.UseUrls("http://127.0.0.1:5000");
    builder.AddHavenCore();
    builder.AddHavenWeb();

    await using var app = builder.Build();
    app.UseHavenWeb();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is not HostAbortedException)
{
    // A start that fails is told once, below; the host's own "Hosting failed to start" would repeat it with a stack trace.
    return Failures.Report(e, Console.Error);
}

public partial class Program;
