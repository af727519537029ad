// Entry point of p2pchat-rendezvous: the generic host with options from appsettings.json and the command line.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2PChat.Rendezvous.Configuration;
using P2PChat.Rendezvous.Hosting;

// Before any socket exists: .NET reads this once, when its socket event threads start.
var inlineCompletions = SocketCompletions.Apply();
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    // appsettings.json sits next to the executable; --data and other relative paths stay relative to the working folder.
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Configuration.AddCommandLine(args, CommandLineSwitches.Map.ToDictionary());
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Services.Configure<RendezvousOptions>(builder.Configuration.GetSection(RendezvousOptions.Section));
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddHostedService<RendezvousHostedService>();

try
{
    var host = builder.Build();
    host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("P2PChat.Rendezvous").LogInformation("{Mode}", SocketCompletions.Describe(inlineCompletions));
    await host.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine($"p2pchat-rendezvous: {ex.Message}");
    return 1;
}
