using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Haven.Security;

/// <summary>
/// Streamed AES-256-GCM for backups, in chunks of 64 KiB. Each chunk's nonce is the file's random prefix and the chunk's
/// number, and its associated data says whether it is the last one, so chunks cannot be reordered, dropped or the file
/// cut short without the reader noticing. The backup's header is bound to every chunk too.
/// Layout per chunk: 4-byte big-endian ciphertext length, 16-byte tag, ciphertext.
/// </summary>
public static class BackupCipher
{
    public const int ChunkSize = 64 * 1024;
    const int TagSize = 16, PrefixSize = 8;

    /// <summary>The sealed stream is cut short, reordered, altered or under another key; the message says which part.</summary>
    public sealed class DamagedException(string message) : IOException(message);

    public static Stream Seal(Stream output, byte[] key, byte[] header) => new SealingStream(output, key, header);

    public static Stream Open(Stream input, byte[] key, byte[] header) => new OpeningStream(input, key, header);

    static byte[] Nonce(byte[] prefix, uint chunk)
    {
        var nonce = new byte[PrefixSize + 4];
        prefix.CopyTo(nonce, 0);
        BinaryPrimitives.WriteUInt32BigEndian(nonce.AsSpan(PrefixSize), chunk);
        return nonce;
    }

    static byte[] AssociatedData(byte[] header, bool last) => [.. header, last ? (byte)1 : (byte)0];

    sealed class SealingStream(Stream output, byte[] key, byte[] header) : Stream
    {
        readonly AesGcm gcm = new(key, TagSize);
        readonly byte[] prefix = RandomNumberGenerator.GetBytes(PrefixSize);
        readonly byte[] buffer = new byte[ChunkSize];
        int filled;
        uint chunk;
        bool started, finished;

        public override void Write(byte[] data, int offset, int count) => Write(data.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> data)
        {
            Start();
            while (data.Length > 0)
            {
                if (filled == ChunkSize) Emit(last: false);
                var n = Math.Min(ChunkSize - filled, data.Length);
                data[..n].CopyTo(buffer.AsSpan(filled));
                filled += n;
                data = data[n..];
            }
        }

        void Start()
        {
            if (started) return;
            started = true;
            output.Write(prefix);
        }

        void Emit(bool last)
        {
            var ciphertext = new byte[filled];
            Span<byte> tag = stackalloc byte[TagSize];
            gcm.Encrypt(Nonce(prefix, chunk++), buffer.AsSpan(0, filled), ciphertext, tag, AssociatedData(header, last));
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, filled);
            output.Write(length);
            output.Write(tag);
            output.Write(ciphertext);
            filled = 0;
        }

        public override void WriteByte(byte value) => Write([value]);
        public override Task WriteAsync(byte[] data, int offset, int count, CancellationToken ct) { Write(data, offset, count); return Task.CompletedTask; }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct = default) { Write(data.Span); return ValueTask.CompletedTask; }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !finished)
            {
                finished = true;
                Start();
                Emit(last: true);
                output.Flush();
                gcm.Dispose();
            }
            base.Dispose(disposing);
        }

        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] data, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    sealed class OpeningStream(Stream input, byte[] key, byte[] header) : Stream
    {
        readonly AesGcm gcm = new(key, TagSize);
        byte[]? prefix;
        byte[] plain = [];
        int position;
        uint chunk;
        bool last;

        public override int Read(byte[] data, int offset, int count) => Read(data.AsSpan(offset, count));

        public override int Read(Span<byte> data)
        {
            while (position == plain.Length)
            {
                if (last) return 0;
                Next();
            }
            var n = Math.Min(data.Length, plain.Length - position);
            plain.AsSpan(position, n).CopyTo(data);
            position += n;
            return n;
        }

        void Next()
        {
            prefix ??= ReadExactly(PrefixSize, "its start");
            var lengthBytes = ReadExactly(4, "a chunk's length");
            var length = BinaryPrimitives.ReadInt32BigEndian(lengthBytes);
            if (length is < 0 or > ChunkSize) throw new DamagedException("a chunk's length is out of range");
            var tag = ReadExactly(TagSize, "a chunk's tag");
            var ciphertext = ReadExactly(length, "a chunk");
            var nonce = Nonce(prefix, chunk++);
            plain = new byte[length];
            position = 0;
            // The last chunk is the one that opens as last; a cut file ends on a chunk that opens only as "not last".
            var atEnd = input.ReadByte() is var next && next < 0;
            try
            {
                gcm.Decrypt(nonce, ciphertext, tag, plain, AssociatedData(header, atEnd));
            }
            catch (AuthenticationTagMismatchException)
            {
                throw new DamagedException(atEnd ? "it ends before its last part (cut short or damaged)" : "a part of it does not open (damaged or another key)");
            }
            last = atEnd;
            if (!atEnd) pending = (byte)next;
        }

        int? pending;

        byte[] ReadExactly(int count, string what)
        {
            var bytes = new byte[count];
            var offset = 0;
            if (count > 0 && pending is { } b) { bytes[0] = (byte)b; pending = null; offset = 1; }
            while (offset < count)
            {
                var n = input.Read(bytes, offset, count - offset);
                if (n == 0) throw new DamagedException($"it ends early, in {what}");
                offset += n;
            }
            return bytes;
        }

        public override Task<int> ReadAsync(byte[] data, int offset, int count, CancellationToken ct) => Task.FromResult(Read(data, offset, count));
        public override ValueTask<int> ReadAsync(Memory<byte> data, CancellationToken ct = default) => ValueTask.FromResult(Read(data.Span));

        protected override void Dispose(bool disposing)
        {
            if (disposing) gcm.Dispose();
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] data, int offset, int count) => throw new NotSupportedException();
    }
}
