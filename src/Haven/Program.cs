using Haven;
using Haven.Features.Operations;

if (Cli.IsCommand(args)) return await Cli.RunAsync(args);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
    builder.WebHost.UseUrls("http://127.0.0.1:5000");
builder.AddHavenCore();
builder.AddHavenWeb();

var app = builder.Build();
app.UseHavenWeb();
app.Run();
return 0;

public partial class Program;
