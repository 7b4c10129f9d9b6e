package io.kvstore.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** Runs the kvstore command in-process as a user would: arguments, optional standard input, out, err and exit code. */
final class CliRun {

    private CliRun() {
    }

    record Result(int code, String out, String err) {
        JsonNode json() {
            return Output.JSON.readTree(out);
        }
    }

    static Result run(String stdin, String... args) {
        KvStoreCli cli = new KvStoreCli();
        if (stdin != null) {
            cli.stdin = new ByteArrayInputStream(stdin.getBytes(UTF_8));
        }
        CommandLine cl = KvStoreCli.newCommandLine(cli);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
