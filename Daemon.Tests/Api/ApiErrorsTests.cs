using System.Net;
using GradientNode.Core.Catalog;
using GradientNode.Core.Secrets;
using GradientNode.Daemon.Api;
using GradientNode.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class ApiErrorsTests
{
    [Test]
    public void MessageForEmpty_UnknownPath_NamesMethodAndPath() =>
        Assert.That(ApiErrors.MessageForEmpty(StatusCodes.Status404NotFound, "GET", "/v1/nothing"), Is.EqualTo("no endpoint GET /v1/nothing on this daemon (see docs/reference/api.md)"));

    [Test]
    public void MessageForEmpty_WrongMethod_SaysTheMethodIsNotAllowed() =>
        Assert.That(ApiErrors.MessageForEmpty(StatusCodes.Status405MethodNotAllowed, "PATCH", "/v1/deployments/web"), Is.EqualTo("PATCH is not allowed on /v1/deployments/web"));

    [Test]
    public void MessageForEmpty_VeryLongPath_IsShortened() =>
        Assert.That(ApiErrors.MessageForEmpty(StatusCodes.Status404NotFound, "GET", "/" + new string('a', 5000))!.Length, Is.LessThan(300));

    [TestCase(StatusCodes.Status400BadRequest)]
    [TestCase(StatusCodes.Status500InternalServerError)]
    public void MessageForEmpty_OtherStatus_Null(int status) =>
        Assert.That(ApiErrors.MessageForEmpty(status, "GET", "/v1/health"), Is.Null);

    [Test]
    public async Task HandlerOptions_CallersMistakeAndDaemonFault_400UnloggedAnd500LoggedWithItsException()
    {
        var logs = new RecordingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.UseExceptionHandler(ApiErrors.HandlerOptions());
        app.MapPut("/bad-name", IResult () => throw new SecretValidationException("invalid secret name '~'"));
        app.MapGet("/fault", IResult () => throw new InvalidOperationException("a daemon fault"));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var mistake = await http.PutAsync("/bad-name", null);
        var mistakeBody = await mistake.Content.ReadAsStringAsync();
        var loggedAfterMistake = logs.Entries.Count(e => e.Level >= LogLevel.Error);
        using var fault = await http.GetAsync("/fault");

        Assert.That(mistake.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(System.Text.Json.JsonDocument.Parse(mistakeBody).RootElement.GetProperty("error").GetString(), Is.EqualTo("invalid secret name '~'"));
        Assert.That(loggedAfterMistake, Is.Zero, "a bad name from a caller is answered, not logged as an unhandled exception");
        Assert.That(fault.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(logs.Entries, Has.Some.Matches<(LogLevel Level, string Category, string Message, Exception? Exception)>(e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException));
        await app.StopAsync();
    }

    [Test]
    public async Task HandlerOptions_FullDiskAtEveryRequest_OneWarningWithoutAStackTraceNotAnErrorPerRequest()
    {
        // newuser7: on a full disk each API call that writes was logged as an unhandled exception with its stack trace.
        var logs = new RecordingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddSingleton(TimeProvider.System).AddSingleton<ApiFileProblems>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.UseExceptionHandler(ApiErrors.HandlerOptions());
        var tries = 0;
        app.MapPut("/secrets/x", IResult () => throw new IOException($"No space left on device : '/var/lib/gradient/secrets/.x.{++tries}.tmp'", 28));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var answer = await http.PutAsync("/secrets/x", null);
            answers.Add(answer.StatusCode);
        }

        Assert.Multiple(() =>
        {
            Assert.That(answers, Is.All.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(logs.Entries.Where(e => e.Level >= LogLevel.Error), Is.Empty, "no unhandled-exception entry with a stack trace");
            var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Category.EndsWith(nameof(ApiFileProblems), StringComparison.Ordinal)).ToList();
            Assert.That(warnings, Has.Count.EqualTo(1), "one line for the problem, not one per request");
            Assert.That(warnings[0].Message, Does.Contain("PUT /secrets/x failed").And.Contain("No space left on device (in /var/lib/gradient/secrets)").And.Not.Contain(".tmp"));
        });
        await app.StopAsync();
    }

    [Test]
    public void Report_SameProblemAfterAMinute_LoggedAgain()
    {
        var time = new SteppingTimeProvider();
        var logger = new CollectingLogger<ApiFileProblems>();
        var problems = new ApiFileProblems(logger, time);

        var first = problems.Report("PUT", "/v1/secrets/a", "No space left on device (in /s)");
        var again = problems.Report("PUT", "/v1/secrets/b", "No space left on device (in /s)");
        var other = problems.Report("PUT", "/v1/secrets/b", "Read-only file system (in /s)");
        time.Advance(ApiFileProblems.Every);
        var later = problems.Report("PUT", "/v1/secrets/a", "No space left on device (in /s)");

        Assert.That((first, again, other, later), Is.EqualTo((true, false, true, true)));
        Assert.That(logger.Events.Select(e => e.Id.Id), Is.All.EqualTo(4070));
    }

    [Test]
    public async Task WriteAsync_SpecFileWriteException_Answers500WithItsMessage()
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
            Response = { Body = new MemoryStream() },
        };
        var error = SpecFileWriteException.For("write", "/etc/gradient/specs/web.yaml", new IOException("No space left on device : '/x.tmp'"));
        context.Features.Set<IExceptionHandlerFeature>(new ExceptionHandlerFeature { Error = error, Path = "/v1/deployments/web" });

        await ApiErrors.WriteAsync(context);

        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Multiple(() =>
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(StatusCodes.Status500InternalServerError));
            Assert.That(body, Does.Contain("cannot write the spec file /etc/gradient/specs/web.yaml: No space left on device; nothing was changed"));
        });
    }

    [Test]
    public async Task WriteAsync_StateFileCannotBeWritten_Answers500WithTheSystemsReasonAndTheFolder()
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
            Response = { Body = new MemoryStream() },
        };
        var error = new IOException("No space left on device : '/var/lib/gradient/secrets/.tok.26058.22c2d0c6.tmp'");
        context.Features.Set<IExceptionHandlerFeature>(new ExceptionHandlerFeature { Error = error, Path = "/v1/secrets/tok" });

        await ApiErrors.WriteAsync(context);

        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Multiple(() =>
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(StatusCodes.Status500InternalServerError));
            Assert.That(
                System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("error").GetString(),
                Is.EqualTo("the daemon could not write or read a file: No space left on device (in /var/lib/gradient/secrets); is the node's state directory full or read-only? (gradient-node node lists its warnings)"));
        });
    }
}
