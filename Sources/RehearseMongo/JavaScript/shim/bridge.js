'use strict';
// The pipe to Rehearse. Requests go out on file descriptor 1 as one JSON line each; the reply to each comes
// back on file descriptor 0, also one JSON line. Reads block: a migration's calls run one after another, in the
// order it makes them, and the event loop only turns between calls.
const fs = require('fs');

const REQUEST_FD = 1;
const REPLY_FD = 0;
const chunk = Buffer.alloc(1 << 16);
let buffered = [];

function writeAll(text) {
  const data = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += fs.writeSync(REQUEST_FD, data, offset, data.length - offset);
    } catch (error) {
      if (error.code === 'EAGAIN') continue;
      throw error;
    }
  }
}

function readLine() {
  for (;;) {
    const last = buffered.length ? buffered[buffered.length - 1] : null;
    const newline = last ? last.indexOf(10) : -1;
    if (newline >= 0) {
      const whole = Buffer.concat(buffered);
      const end = whole.length - last.length + newline;
      const line = whole.subarray(0, end).toString('utf8');
      const rest = whole.subarray(end + 1);
      buffered = rest.length ? [Buffer.from(rest)] : [];
      return line;
    }
    let count;
    try {
      count = fs.readSync(REPLY_FD, chunk, 0, chunk.length, null);
    } catch (error) {
      if (error.code === 'EAGAIN') continue;
      throw error;
    }
    if (count === 0) {
      // Rehearse went away: nothing more can run.
      process.exit(70);
    }
    buffered.push(Buffer.from(chunk.subarray(0, count)));
  }
}

/** Sends one message and waits for its reply. */
function request(message) {
  writeAll(JSON.stringify(message) + '\n');
  return JSON.parse(readLine());
}

/** Sends one message that has no reply (a note, the final outcome). */
function tell(message) {
  writeAll(JSON.stringify(message) + '\n');
}

module.exports = { request, tell };
