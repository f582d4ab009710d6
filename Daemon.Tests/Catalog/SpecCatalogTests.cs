using GradientNode.Core.Catalog;
using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

[TestFixture]
[Category("Unit")]
internal sealed partial class SpecCatalogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Update_ValidFile_AddsEntryThatIsCurrent()
    {
        var catalog = new SpecCatalog();
        var file = new SpecFile("/specs/hello.yaml", Valid("hello"), T0);

        var changed = catalog.Update([file]);

        Assert.That(changed, Is.EquivalentTo(new[] { "hello" }));
        var entry = catalog.Entries["hello"];
        Assert.Multiple(() =>
        {
            Assert.That(entry.Spec!.Image, Is.EqualTo("nginx:1"));
            Assert.That(entry.File, Is.EqualTo("/specs/hello.yaml"));
            Assert.That(entry.Errors, Is.Empty);
            Assert.That(entry.Conflicts, Is.Empty);
            Assert.That(entry.IsCurrent, Is.True);
            Assert.That(catalog.FileOf("hello"), Is.EqualTo("/specs/hello.yaml"));
            Assert.That(catalog.FileOf("nope"), Is.Null);
        });
    }

    [Test]
    public void Update_EditToInvalid_KeepsLastGoodSpecWithErrors()
    {
        var catalog = new SpecCatalog();
        catalog.Update([new SpecFile("/specs/hello.yaml", Valid("hello"), T0)]);
        var good = catalog.Entries["hello"].Spec;

        var changed = catalog.Update([new SpecFile("/specs/hello.yaml", Valid("hello", image: "nginx:2") + "bogus: 1\n", T0.AddMinutes(1))]);

        var entry = catalog.Entries["hello"];
        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.EquivalentTo(new[] { "hello" }));
            Assert.That(entry.Spec, Is.EqualTo(good));
            Assert.That(entry.Errors, Is.Not.Empty);
            Assert.That(entry.Errors.Select(e => e.ToString()), Has.All.StartsWith("/specs/hello.yaml:"));
            Assert.That(entry.IsCurrent, Is.False);
            Assert.That(catalog.NewlyGood, Is.Empty);
        });
    }

    [Test]
    public void Update_InvalidThenFixed_RunsTheFixedVersion()
    {
        var catalog = new SpecCatalog();
        catalog.Update([new SpecFile("/specs/hello.yaml", Valid("hello"), T0)]);
        catalog.Update([new SpecFile("/specs/hello.yaml", "name: hello\nimage: [", T0.AddMinutes(1))]);

        catalog.Update([new SpecFile("/specs/hello.yaml", Valid("hello", image: "nginx:3"), T0.AddMinutes(2))]);

        Assert.That(catalog.Entries["hello"].Spec!.Image, Is.EqualTo("nginx:3"));
        Assert.That(catalog.Entries["hello"].IsCurrent, Is.True);
    }

    [Test]
    public void Update_NeverValidFileWithReadableName_EntryWithoutSpecUnderThatName()
    {
        var catalog = new SpecCatalog();

        catalog.Update([new SpecFile("/specs/file-stem.yaml", "name: My App\nbogus: 1\n", T0)]);

        var entry = catalog.Entries.Values.Single();
        Assert.Multiple(() =>
        {
            Assert.That(entry.Slug, Is.EqualTo("my-app"));
            Assert.That(entry.Name, Is.EqualTo("My App"));
            Assert.That(entry.Spec, Is.Null);
            Assert.That(entry.Errors, Is.Not.Empty);
        });
    }

    [Test]
    public void Update_NeverValidUnreadableYaml_EntryNamedAfterTheFileStem()
    {
        var catalog = new SpecCatalog();

        catalog.Update([new SpecFile("/specs/Broken_Thing.yml", "name: [unclosed\n  image: :\n", T0)]);

        var entry = catalog.Entries.Values.Single();
        Assert.That(entry.Slug, Is.EqualTo("broken-thing"));
        Assert.That(entry.Spec, Is.Null);
        Assert.That(entry.Errors, Is.Not.Empty);
    }

    [Test]
    public void Update_LastGoodTextAndInvalidCurrentText_RunsTheLastGood()
    {
        var catalog = new SpecCatalog();
        var file = new SpecFile("/specs/hello.yaml", "name: hello\nimage: [", T0, LastGoodText: Valid("hello", image: "nginx:7"));

        catalog.Update([file]);

        var entry = catalog.Entries["hello"];
        Assert.Multiple(() =>
        {
            Assert.That(entry.Spec!.Image, Is.EqualTo("nginx:7"));
            Assert.That(entry.Errors, Is.Not.Empty);
            Assert.That(catalog.NewlyGood, Is.Empty);
        });
    }

    [Test]
    public void Update_TwoFilesSameName_EarlierModifiedOwnsAndLaterIsAConflict()
    {
        var catalog = new SpecCatalog();
        var later = new SpecFile("/specs/a-later.yaml", Valid("hello", image: "later:1"), T0.AddMinutes(5));
        var earlier = new SpecFile("/specs/z-earlier.yaml", Valid("hello", image: "earlier:1"), T0);

        catalog.Update([later, earlier]);

        var entry = catalog.Entries.Values.Single();
        Assert.Multiple(() =>
        {
            Assert.That(entry.File, Is.EqualTo("/specs/z-earlier.yaml"));
            Assert.That(entry.Spec!.Image, Is.EqualTo("earlier:1"));
            Assert.That(entry.Conflicts, Has.Count.EqualTo(1));
            Assert.That(entry.Conflicts[0], Does.StartWith("/specs/a-later.yaml:1:7:").And.Contains("/specs/z-earlier.yaml"));
            Assert.That(entry.IgnoredFiles, Is.EqualTo(new[] { "/specs/a-later.yaml" }));
        });
    }

    [Test]
    public void Update_TwoFilesSameNameSameTime_PathDecides()
    {
        var catalog = new SpecCatalog();

        catalog.Update([new SpecFile("/specs/b.yaml", Valid("hello", image: "b:1"), T0), new SpecFile("/specs/a.yaml", Valid("hello", image: "a:1"), T0)]);

        Assert.That(catalog.Entries["hello"].File, Is.EqualTo("/specs/a.yaml"));
    }

    [Test]
    public void Update_ConflictingFileAddedLater_ChangesNothingButTheConflictList()
    {
        var catalog = new SpecCatalog();
        var owner = new SpecFile("/specs/z.yaml", Valid("hello", image: "owner:1"), T0.AddMinutes(10));
        catalog.Update([owner]);
        var before = catalog.Entries["hello"];

        catalog.Update([owner, new SpecFile("/specs/a.yaml", Valid("hello", image: "intruder:1"), T0)]);

        var after = catalog.Entries["hello"];
        Assert.Multiple(() =>
        {
            Assert.That(after.File, Is.EqualTo(before.File));
            Assert.That(after.Spec, Is.EqualTo(before.Spec));
            Assert.That(after.Conflicts, Has.Count.EqualTo(1));
            Assert.That(catalog.Entries, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void Update_OwnerRemoved_TheOtherFileTakesOver()
    {
        var catalog = new SpecCatalog();
        var owner = new SpecFile("/specs/a.yaml", Valid("hello", image: "owner:1"), T0);
        var other = new SpecFile("/specs/b.yaml", Valid("hello", image: "other:1"), T0.AddMinutes(1));
        catalog.Update([owner, other]);

        var changed = catalog.Update([other]);

        var entry = catalog.Entries["hello"];
        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.EquivalentTo(new[] { "hello" }));
            Assert.That(entry.File, Is.EqualTo("/specs/b.yaml"));
            Assert.That(entry.Spec!.Image, Is.EqualTo("other:1"));
            Assert.That(entry.Conflicts, Is.Empty);
        });
    }

    [Test]
    public void Update_AddedEditedRemovedAndUnchanged_ReturnsOnlyTheChangedSlugs()
    {
        var catalog = new SpecCatalog();
        var same = new SpecFile("/specs/same.yaml", Valid("same"), T0);
        catalog.Update([same, new SpecFile("/specs/edited.yaml", Valid("edited"), T0), new SpecFile("/specs/gone.yaml", Valid("gone"), T0)]);

        var changed = catalog.Update([same, new SpecFile("/specs/edited.yaml", Valid("edited", image: "nginx:2"), T0.AddMinutes(1)), new SpecFile("/specs/added.yaml", Valid("added"), T0.AddMinutes(1))]);

        Assert.That(changed, Is.EquivalentTo(new[] { "edited", "gone", "added" }));
        Assert.That(catalog.Entries.Keys, Is.EquivalentTo(new[] { "same", "edited", "added" }));
    }

    [Test]
    public void Update_SameFilesAgain_ReturnsNothing()
    {
        var catalog = new SpecCatalog();
        var files = new[] { new SpecFile("/specs/a.yaml", Valid("a"), T0), new SpecFile("/specs/b.yaml", "name: b\nbogus: 1\n", T0) };
        catalog.Update(files);

        Assert.That(catalog.Update(files), Is.Empty);
    }

    [Test]
    public void Update_RenameInsideTheFile_ChangesBothSlugs()
    {
        var catalog = new SpecCatalog();
        catalog.Update([new SpecFile("/specs/a.yaml", Valid("old-name"), T0)]);

        var changed = catalog.Update([new SpecFile("/specs/a.yaml", Valid("new-name"), T0.AddMinutes(1))]);

        Assert.That(changed, Is.EquivalentTo(new[] { "old-name", "new-name" }));
        Assert.That(catalog.Entries.Keys, Is.EquivalentTo(new[] { "new-name" }));
    }

    [Test]
    public void Update_ValidFiles_NewlyGoodListsOnlyThoseWhoseLastGoodDiffers()
    {
        var catalog = new SpecCatalog();
        var fresh = new SpecFile("/specs/fresh.yaml", Valid("fresh"), T0);
        var saved = new SpecFile("/specs/saved.yaml", Valid("saved"), T0, LastGoodText: Valid("saved"));
        var edited = new SpecFile("/specs/edited.yaml", Valid("edited", image: "nginx:2"), T0, LastGoodText: Valid("edited"));
        var broken = new SpecFile("/specs/broken.yaml", "name: broken\nbogus: 1\n", T0);

        catalog.Update([fresh, saved, edited, broken]);

        Assert.That(catalog.NewlyGood, Is.EquivalentTo(new[] { fresh, edited }));
    }

    [Test]
    public void Update_UnchangedValidFile_IsNotNewlyGoodAgain()
    {
        var catalog = new SpecCatalog();
        var file = new SpecFile("/specs/fresh.yaml", Valid("fresh"), T0);
        catalog.Update([file]);

        catalog.Update([file]);

        Assert.That(catalog.NewlyGood, Is.Empty);
    }

    [Test]
    public void Update_OlderNeverValidFileAndValidFileWithSameName_ValidFileOwnsTheName()
    {
        var catalog = new SpecCatalog();

        catalog.Update(
        [
            new SpecFile("/specs/a-broken.yaml", "apiVersion: v1\nname: hello\nbogus: 1\n", T0),
            new SpecFile("/specs/b-good.yaml", Valid("hello"), T0.AddMinutes(1)),
        ]);

        var entry = catalog.Entries["hello"];
        Assert.Multiple(() =>
        {
            Assert.That(entry.File, Is.EqualTo("/specs/b-good.yaml"));
            Assert.That(entry.Spec, Is.Not.Null);
            Assert.That(entry.Conflicts.Single(), Does.StartWith("/specs/a-broken.yaml:2:7:"));
        });
    }

    private static string Valid(string name, string image = "nginx:1") => $"""
        name: {name}
        image: {image}
        resources:
          machineType: C4
          ports: [8080]

        """;
}
