using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Haven.Security;

/// <summary>
/// Seals the ASP.NET Core Data Protection key ring (the keys behind session cookies and antiforgery tokens) with a key
/// derived from the master key, so the keys folder and its backups hold no such secret in the clear.
/// </summary>
public static class KeyRingEncryption
{
    static readonly byte[] Purpose = "haven/data-protection-key-ring"u8.ToArray();

    public static XElement Seal(byte[] masterKey, XElement secret) =>
        new("sealedKey",
            new XComment(" Sealed with a key derived from Haven's master key (AES-256-GCM). "),
            Convert.ToBase64String(Crypto.Seal(Derive(masterKey), Encoding.UTF8.GetBytes(secret.ToString(SaveOptions.DisableFormatting)), Purpose)));

    public static XElement Open(byte[] masterKey, XElement sealedKey) =>
        XElement.Parse(Encoding.UTF8.GetString(Crypto.Open(Derive(masterKey), Convert.FromBase64String(sealedKey.Value.Trim()), Purpose)));

    static byte[] Derive(byte[] masterKey) => HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: Purpose);

    /// <summary>After a master key rotation: seals every key of the ring again under the new master key.</summary>
    public static void Reseal(string folder, byte[] oldKey, byte[] newKey)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var file in Directory.GetFiles(folder, "*.xml"))
        {
            var document = XDocument.Load(file);
            var secrets = document.Descendants().Where(e => e.Name.LocalName == "encryptedSecret"
                && ((string?)e.Attribute("decryptorType"))?.StartsWith(typeof(KeyRingDecryptor).FullName + ",", StringComparison.Ordinal) == true).ToList();
            if (secrets.Count == 0) continue;
            foreach (var secret in secrets)
            {
                var sealedKey = secret.Elements().Single();
                sealedKey.ReplaceWith(Seal(newKey, Open(oldKey, sealedKey)));
            }
            var temp = file + ".new";
            document.Save(temp);
            File.Move(temp, file, overwrite: true);
        }
    }
}

public sealed class KeyRingEncryptor(MasterKeyStore store) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(KeyRingEncryption.Seal(store.Load(), plaintextElement), typeof(KeyRingDecryptor));
}

/// <summary>Made by Data Protection from the type name in each key file, with the app's services.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        KeyRingEncryption.Open(services.GetRequiredService<MasterKeyStore>().Load(), encryptedElement);
}
