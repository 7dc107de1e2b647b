using System.Text.Unicode;

namespace Haven.Features.Documents;

/// <summary>
/// The allow-list of file types, each recognised by its bytes rather than by its name or the type the
/// browser claimed, so a program renamed to .pdf is refused.
/// </summary>
public static class FileTypes
{
    public const string Pdf = "application/pdf", Png = "image/png", Jpeg = "image/jpeg", Text = "text/plain",
        Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static readonly string[] Allowed = [Pdf, Png, Jpeg, Docx, Text];

    static readonly Dictionary<string, string> Names = new()
    {
        [Pdf] = "a PDF",
        [Png] = "a PNG image",
        [Jpeg] = "a JPEG image",
        [Docx] = "a Word document",
        [Text] = "plain text",
    };

    public static string Describe(string contentType) => Names.GetValueOrDefault(contentType, contentType);

    /// <summary>What the bytes are, from the allow-list, or null.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head, bool declaredDocx = false)
    {
        if (head.StartsWith("%PDF-"u8)) return Pdf;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return Png;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Jpeg;
        // A .docx is a zip; any zip claimed to be a Word document with the Word parts list inside counts.
        if (head.StartsWith("PK\u0003\u0004"u8)) return declaredDocx && head.IndexOf("[Content_Types].xml"u8) >= 0 ? Docx : null;
        if (head.IndexOf((byte)0) < 0 && IsUtf8(head)) return Text;
        return null;
    }

    static bool IsUtf8(ReadOnlySpan<byte> bytes)
    {
        // The head may end inside a multi-byte character: drop up to three trailing bytes of one.
        for (var cut = 0; cut < 4 && cut <= bytes.Length; cut++)
            if (Utf8.IsValid(bytes[..^cut])) return true;
        return false;
    }

    /// <summary>Checks an upload: the claimed type must be on the list and match the bytes. Null when acceptable.</summary>
    public static string? Problem(string? claimed, ReadOnlySpan<byte> content)
    {
        var type = claimed?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is null || !Allowed.Contains(type))
            return $"Files of type {(string.IsNullOrEmpty(type) ? "(none)" : type)} are not accepted; send a PDF, PNG, JPEG, Word document or plain text.";
        var actual = Sniff(content[..Math.Min(content.Length, 8192)], type == Docx);
        return actual == type ? null
            : $"The file's contents are not {Describe(type)} (it was sent as {type}{(actual is null ? "" : $", but it is {Describe(actual)}")}).";
    }
}
