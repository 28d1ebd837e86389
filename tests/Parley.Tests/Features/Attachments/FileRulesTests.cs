using System.Text;
using Parley.Features.Attachments;
using Parley.Features.Bot;

namespace Parley.Tests.Features.Attachments;

/// <summary>The small rules under attachments: names, types from bytes, what an image costs, cutting a document.</summary>
public sealed class FileRulesTests
{
    [Theory]
    [InlineData("../../etc/passwd", FileTypes.Text, "passwd")]
    [InlineData("C:\\Users\\me\\notes.md", FileTypes.Text, "notes.md")]
    [InlineData("invoice\u202Egpj.exe", FileTypes.Text, "invoicegpj.exe")] // a right-to-left override would show "exe.jpg"
    [InlineData("photo.heic", FileTypes.Jpeg, "photo.jpg")] // named as what it is stored as
    [InlineData("photo.JPEG", FileTypes.Jpeg, "photo.JPEG")]
    [InlineData("anim.gif", FileTypes.Png, "anim.png")] // a GIF keeps its first frame, as a PNG
    [InlineData("  ..  ", FileTypes.Png, "image.png")]
    [InlineData(null, FileTypes.Pdf, "document.pdf")]
    [InlineData("tab\tand\nnewline.txt", FileTypes.Text, "tabandnewline.txt")]
    public void NamesAreCleanedAndImagesNamedAsStored(string? given, string type, string expected) =>
        Assert.Equal(expected, FileNames.Clean(given, type));

    [Fact]
    public void ALongNameKeepsItsExtensionWithinTheLimit()
    {
        var name = FileNames.Clean(new string('a', 400) + ".csv", FileTypes.Text);

        Assert.Equal(Attachment.MaxNameLength, name.Length);
        Assert.EndsWith(".csv", name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<p align=\"center\"><img src=\"logo.png\"></p>\n# Project", true)] // a README is text
    [InlineData("<!-- markdownlint-disable -->\n# Notes", true)]
    [InlineData("  <HTML><body>hi</body></HTML>", false)]
    [InlineData("<?xml version=\"1.0\"?><svg/>", false)]
    [InlineData("<!doctype svg><svg/>", false)]
    [InlineData("MZ is how my initials start", true)] // "MZ" alone is not a program
    [InlineData("#!/usr/bin/env python3\nprint(1)", false)]
    [InlineData("a,b\n1,2\n", true)]
    [InlineData("{\"json\": true}", true)]
    public void TextIsTakenUnlessABrowserOrAShellWouldRunIt(string content, bool taken)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        if (taken)
        {
            Assert.Equal(new FileType(AttachmentKind.Document, FileTypes.Text), FileTypes.Detect(bytes));
        }
        else
        {
            Assert.True(Assert.Throws<FileRefusedException>(() => FileTypes.Detect(bytes)).UnsupportedType);
        }
    }

    [Fact]
    public void AHeadCutInsideACharacterIsStillText()
    {
        var text = Encoding.UTF8.GetBytes(new string('é', 600)); // two bytes each: 1,024 ends mid-way through none, 1,023 in one
        Assert.Equal(AttachmentKind.Document, FileTypes.Detect(text.AsSpan(0, 1023)).Kind);
    }

    [Theory]
    [InlineData(512, 512, 85 + 170)] // one tile
    [InlineData(1024, 1024, 85 + (170 * 4))] // scaled to 768 × 768: four tiles
    [InlineData(4000, 1000, 85 + (170 * 4))] // fit in 2048: 2048 × 512, whose short side is under 768 already: 4 × 1
    [InlineData(3000, 4000, 85 + (170 * 4))] // a phone photo: 1536 × 2048, then its short side to 768: 768 × 1024, 2 × 2
    [InlineData(100, 100, 85 + 170)]
    public void AnImageCostsWhatOpenAICounts(int width, int height, int tokens) =>
        Assert.Equal(tokens, TurnFiles.ImageTokens(width, height)); // images are only ever scaled down

    [Fact]
    public void ADocumentIsCutToTheBudgetAndSaysHowMuchWasLeftOut()
    {
        var document = new TurnFile("report.txt", FileTypes.Text, 40_000, null, new string('x', 40_000));
        var turn = new Turn(true, "summarise it") { Files = [document] };

        var fitted = TurnFiles.Fit(turn, 1_000);

        Assert.True(TurnFiles.EstimateTokens(fitted) <= 1_000, $"{TurnFiles.EstimateTokens(fitted)} tokens");
        Assert.Contains("[… the rest of report.txt is left out:", fitted.Files[0].Text, StringComparison.Ordinal);
        Assert.Equal("summarise it", fitted.Text);
        Assert.Same(turn, TurnFiles.Fit(turn, 100_000)); // within the budget: untouched
    }
}
