using GradientNode.Core.Catalog;
using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

/// <summary>Two files that declare one name: who owns it, and that a restart does not hand it to the other file.</summary>
internal sealed partial class SpecCatalogTests
{
    [Test]
    public void Update_RestartAfterTheOwnerWasEdited_PreviousOwnerKeepsTheName()
    {
        // Before: a fresh catalog ordered by modification time only, so an edit of the owner after the other file
        // appeared handed the deployment to the other file at the next daemon start.
        var catalog = new SpecCatalog(["/specs/owner.yaml"]);

        catalog.Update([
            new SpecFile("/specs/owner.yaml", Valid("hello", image: "owner:2"), T0.AddMinutes(10)),
            new SpecFile("/specs/other.yaml", Valid("hello", image: "other:1"), T0),
        ]);

        var entry = catalog.Entries["hello"];
        Assert.Multiple(() =>
        {
            Assert.That(entry.File, Is.EqualTo("/specs/owner.yaml"));
            Assert.That(entry.IgnoredFiles, Is.EqualTo(new[] { "/specs/other.yaml" }));
        });
    }

    [Test]
    public void Update_PreviousOwnerRemovedAndAddedAgain_DoesNotTakeTheNameBack()
    {
        var catalog = new SpecCatalog(["/specs/owner.yaml"]);
        var owner = new SpecFile("/specs/owner.yaml", Valid("hello", image: "owner:1"), T0);
        var other = new SpecFile("/specs/other.yaml", Valid("hello", image: "other:1"), T0.AddMinutes(1));
        catalog.Update([owner, other]);
        catalog.Update([other]);

        catalog.Update([other, owner with { Modified = T0.AddMinutes(2) }]);

        Assert.That(catalog.Entries["hello"].File, Is.EqualTo("/specs/other.yaml"));
    }

    [Test]
    public void Update_TwoFilesSameName_OwnersListsOnlyTheOwner()
    {
        var catalog = new SpecCatalog();

        catalog.Update([new SpecFile("/specs/a.yaml", Valid("hello"), T0), new SpecFile("/specs/b.yaml", Valid("hello"), T0.AddMinutes(1)), new SpecFile("/specs/c.yaml", Valid("other"), T0)]);

        Assert.That(catalog.Owners, Is.EquivalentTo(new[] { "/specs/a.yaml", "/specs/c.yaml" }));
    }

    [Test]
    public void Update_TwoNamesWithOneSlug_ConflictNamesTheSlugAndTheOwnersName()
    {
        var catalog = new SpecCatalog();

        catalog.Update([new SpecFile("/specs/a.yaml", Valid("My App"), T0), new SpecFile("/specs/b.yaml", Valid("my-app"), T0.AddMinutes(1))]);

        Assert.That(
            catalog.Entries["my-app"].Conflicts.Single(),
            Is.EqualTo("/specs/b.yaml:1:7: deployment 'my-app' has the slug 'my-app', which 'My App' in /specs/a.yaml already uses; this file is ignored until that one is removed or renamed"));
    }
}
