package io.kvstore.engine.admin;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The subset of POSIX ustar that backup archives use: regular files only, names up to 100 bytes.
 *
 * <pre>
 * archive := (header:512 data padding-to-512)* zero-block:512 zero-block:512
 * header  := name[100] mode[8] uid[8] gid[8] size[12] mtime[12] chksum[8] typeflag[1]
 *            linkname[100] magic[6]="ustar\0" version[2]="00" uname[32] gname[32]
 *            devmajor[8] devminor[8] prefix[155] pad[12]
 * numbers are NUL-terminated octal ASCII; a size of 8 GiB or more is written base-256 (GNU: first
 * byte 0x80, the value big-endian in the other 11). chksum is the sum of the header's bytes with
 * chksum itself counted as eight spaces.
 * typeflag '0' (or NUL) regular file; the reader reports the others so the caller can refuse them:
 * '1' hard link, '2' symbolic link, '5' directory, 'x'/'g' pax headers, ...
 * </pre>
 */
final class Tar {

    static final int BLOCK = 512;

    private Tar() {
    }

    /** One header as read. */
    record Header(String name, long size, byte type, String linkName, long offset) {
        boolean isRegularFile() {
            return type == '0' || type == 0;
        }
    }

    /** Writes an archive entry by entry. */
    static final class Writer {
        private final OutputStream out;

        Writer(OutputStream out) {
            this.out = out;
        }

        /** Writes a header for a regular file; the caller then writes exactly {@code size} bytes and {@link #pad}. */
        void header(String name, long size, long mtimeSeconds) throws IOException {
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            if (nameBytes.length > 100) {
                throw new IllegalArgumentException("tar entry name longer than 100 bytes: " + name);
            }
            byte[] h = new byte[BLOCK];
            System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
            octal(h, 100, 8, 0644);
            octal(h, 108, 8, 0);
            octal(h, 116, 8, 0);
            if (size < 077777777777L) {
                octal(h, 124, 12, size);
            } else {
                h[124] = (byte) 0x80;
                for (int i = 0; i < 8; i++) {
                    h[135 - i] = (byte) (size >>> (8 * i));
                }
            }
            octal(h, 136, 12, mtimeSeconds);
            h[156] = '0';
            byte[] magic = "ustar\0".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(magic, 0, h, 257, 6);
            h[263] = '0';
            h[264] = '0';
            Arrays.fill(h, 148, 156, (byte) ' ');
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xFF;
            }
            octal(h, 148, 7, sum);
            h[155] = ' ';
            out.write(h);
        }

        /** Pads the entry of {@code size} bytes just written to a block boundary. */
        void pad(long size) throws IOException {
            int rest = (int) (size % BLOCK);
            if (rest != 0) {
                out.write(new byte[BLOCK - rest]);
            }
        }

        /** Writes the two zero blocks that end an archive. */
        void finish() throws IOException {
            out.write(new byte[2 * BLOCK]);
        }

        private static void octal(byte[] h, int off, int len, long value) {
            String digits = Long.toOctalString(value);
            int width = len - 1;
            if (digits.length() > width) {
                throw new IllegalArgumentException("value " + value + " does not fit a " + len + "-byte tar field");
            }
            for (int i = 0; i < width - digits.length(); i++) {
                h[off + i] = '0';
            }
            for (int i = 0; i < digits.length(); i++) {
                h[off + width - digits.length() + i] = (byte) digits.charAt(i);
            }
            h[off + width] = 0;
        }
    }

    /** Reads an archive entry by entry; the caller reads each entry's data through {@link #data}. */
    static final class Reader {
        private final InputStream in;
        private long position;
        private long remaining;
        private long padding;

        Reader(InputStream in) {
            this.in = in;
        }

        /** The next header, or {@code null} at the end-of-archive blocks; skips what is left of the previous entry. */
        Header next() throws IOException {
            skip(remaining + padding);
            remaining = 0;
            padding = 0;
            long offset = position;
            byte[] h = readBlock();
            if (h == null) {
                throw new EOFException("tar archive ends without its end-of-archive blocks at offset " + offset);
            }
            if (isZero(h)) {
                return null;
            }
            long stored = parseNumber(h, 148, 8, offset);
            Arrays.fill(h, 148, 156, (byte) ' ');
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xFF;
            }
            if (sum != stored) {
                throw new IOException("tar header at offset " + offset + " has a bad checksum (" + stored
                        + ", computed " + sum + ")");
            }
            String name = cString(h, 0, 100);
            if (new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
                String prefix = cString(h, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
            }
            long size = parseNumber(h, 124, 12, offset);
            if (size < 0) {
                throw new IOException("tar header at offset " + offset + " has a negative size");
            }
            remaining = size;
            padding = (BLOCK - size % BLOCK) % BLOCK;
            return new Header(name, size, h[156], cString(h, 157, 100), offset);
        }

        /** The current entry's data: ends after its size. */
        InputStream data() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (remaining == 0) {
                        return -1;
                    }
                    int n = in.read(b, off, (int) Math.min(len, remaining));
                    if (n < 0) {
                        throw new EOFException("tar archive ends inside an entry at offset " + position);
                    }
                    remaining -= n;
                    position += n;
                    return n;
                }
            };
        }

        private byte[] readBlock() throws IOException {
            byte[] block = in.readNBytes(BLOCK);
            if (block.length == 0) {
                return null;
            }
            if (block.length < BLOCK) {
                throw new EOFException("tar archive ends inside a header at offset " + position);
            }
            position += BLOCK;
            return block;
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long skipped = in.skip(n);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("tar archive ends inside an entry at offset " + position);
                    }
                    skipped = 1;
                }
                n -= skipped;
                position += skipped;
            }
        }

        private static boolean isZero(byte[] block) {
            for (byte b : block) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }

        private static long parseNumber(byte[] h, int off, int len, long headerOffset) throws IOException {
            if ((h[off] & 0x80) != 0) {
                long value = 0;
                for (int i = off + 1; i < off + len; i++) {
                    value = (value << 8) | (h[i] & 0xFF);
                }
                return value;
            }
            long value = 0;
            for (int i = off; i < off + len; i++) {
                byte b = h[i];
                if (b == 0 || b == ' ') {
                    if (value != 0 || i > off) {
                        // trailing NUL/space ends the number; leading spaces are skipped
                        if (b == 0) {
                            break;
                        }
                    }
                    continue;
                }
                if (b < '0' || b > '7') {
                    throw new IOException("tar header at offset " + headerOffset + " has a non-octal digit in the field"
                            + " at " + off);
                }
                value = (value << 3) | (b - '0');
            }
            return value;
        }

        private static String cString(byte[] h, int off, int len) {
            int end = off;
            while (end < off + len && h[end] != 0) {
                end++;
            }
            return new String(h, off, end - off, StandardCharsets.UTF_8);
        }
    }
}
