using GradientNode.Daemon.Api;
using Microsoft.AspNetCore.Http;
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
}
