# Milesight network camera (Xiamen): China-based, on uk-nsl since issue 16.
#
# Real: Milesight's MAC blocks 1C:C3:16 "MileSight Technology Co., Ltd."
#  and 24:E1:24 "Xiamen Milesight IoT Co., Ltd.", both registered at
#  Xiamen addresses (IEEE, Debian ieee-data 20220827.1); the MS-C model
#  numbering and Evercam-labelled Milesight cameras
#  (https://github.com/evercam/ex_nvr/pull/964).
# Invented: the Manufacturer spelling, the model number after MS-C, the
#  firmware, serial, MAC suffix, scopes, hostname, credentials, and the web
#  server (no source gave a Milesight banner, realm or title: it says
#  nothing here, and without ONVIF this camera stays unidentified).
manufacturer = Milesight
model = MS-C2964-PB
firmware = 45.7.0.79
serial = 6457C2964PB0012
hardware_id = V1.0
hostname = milesight-gate
mac = 1c:c3:16:2a:44:5e eth0
scope = onvif://www.onvif.org/type/video_encoder
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/name/Milesight
scope = onvif://www.onvif.org/hardware/MS-C2964-PB
timezone = GMT0BST,M3.5.0/1,M10.5.0
local_offset = 0
auth = wsse
clock_window = 0
user = admin
password = milesight-pass
#
# ---- Without credentials ----------------------------------------------------
# Invented: a web server that names no one.
http_head = Content-Type: @type
http_head = Content-Length: @length
http_head = Connection: @connection
http_head = WWW-Authenticate: @challenge
http_page_doctype = <!DOCTYPE html>
